package engine

import "errors"

var (
	// ErrModel reports a model file that is missing, truncated, of the
	// wrong format or refused by whisper.cpp.
	ErrModel = errors.New("engine: cannot load model")
	// ErrNoBackend reports that no ggml compute backend could be loaded.
	ErrNoBackend = errors.New("engine: no ggml CPU backend")
	// ErrNoDevice reports a device that was asked for (--device vulkan) and
	// is not there or cannot be used, or an unknown device name.
	ErrNoDevice = errors.New("engine: no usable device")
	// ErrInUse reports an attempt to close a model that decoders still use.
	ErrInUse = errors.New("engine: model in use")
	// ErrClosed reports use of a closed model or decoder.
	ErrClosed = errors.New("engine: closed")
	// ErrDecode reports a failure inside whisper_full.
	ErrDecode = errors.New("engine: decode failed")
	// ErrLanguage reports a language the model does not know.
	ErrLanguage = errors.New("engine: unknown language")
	// ErrInput reports audio the engine cannot decode (empty, not finite).
	ErrInput = errors.New("engine: bad input audio")
)
