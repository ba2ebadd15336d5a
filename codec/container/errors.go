package container

import "errors"

// Sentinel errors; functions wrap them with what they found, so test them
// with errors.Is.
var (
	// ErrNeedMore means the bytes written so far hold nothing further to
	// decode: write more. It is not wrapped.
	ErrNeedMore = errors.New("container: need more data")

	// ErrUnsupported reports a format, codec or layout this package does
	// not decode (AAC, Vorbis, Opus with more than two channels, ...).
	ErrUnsupported = errors.New("container: unsupported audio")

	// ErrCorrupt reports audio that cannot be read: a broken container, a
	// packet the decoder refuses, a file with no audio.
	ErrCorrupt = errors.New("container: corrupt audio")

	// ErrTooLong reports a file that decodes to more than
	// Options.MaxDuration.
	ErrTooLong = errors.New("container: audio too long")
)
