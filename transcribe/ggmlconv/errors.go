package ggmlconv

import "errors"

// Sentinel errors. Functions wrap them with %w behind "ggmlconv:", the file
// or folder and the record at fault, so callers test with errors.Is and can
// show Error() to a user as it is.
var (
	// ErrNotGGML means the file does not start with the ggml magic that
	// whisper.cpp expects: it is some other kind of file.
	ErrNotGGML = errors.New("not a whisper ggml file")

	// ErrTruncated means the file ends before the last record it announces,
	// or before every tensor whisper.cpp needs was present: typically an
	// interrupted download or copy.
	ErrTruncated = errors.New("file is truncated")

	// ErrCorrupt means the file has the ggml magic but its contents do not
	// form a model whisper.cpp would load: impossible hyper parameters, an
	// unknown or duplicated tensor, or a tensor whose shape, type or size is
	// not the one the loader requires.
	ErrCorrupt = errors.New("corrupt whisper ggml file")

	// ErrUnsupported means the input is well formed but of a kind this
	// package or whisper.cpp 1.9.5 does not handle: GGUF or older ggml
	// containers, unknown weight types, other CTranslate2 binary versions,
	// non-Whisper or int8-quantised CTranslate2 models.
	ErrUnsupported = errors.New("unsupported format")

	// ErrBadSource means a CTranslate2 model folder is incomplete or
	// inconsistent: a missing file or variable, a shape that does not match
	// the rest of the model, a vocabulary that cannot be decoded, or a
	// non-zero attention key bias that whisper.cpp could not represent.
	ErrBadSource = errors.New("invalid CTranslate2 model")
)
