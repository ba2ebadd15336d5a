package codec

import "errors"

// Sentinel errors. Functions in this package wrap them with context (for
// example "wav: fmt chunk: block align 3 ...: malformed WAV"), so test them
// with errors.Is, not ==.
var (
	// ErrInvalidRate reports a sample rate that is not positive or is above
	// MaxSampleRate.
	ErrInvalidRate = errors.New("invalid sample rate")

	// ErrUnsupportedRatio reports a pair of valid rates whose conversion
	// would need an unreasonably large filter: a ratio beyond
	// MaxResampleRatio, or a reduced fraction (such as 16000/7999) whose
	// polyphase table would be too big.
	ErrUnsupportedRatio = errors.New("unsupported resampling ratio")

	// ErrNotWAV reports input that does not start with a RIFF/WAVE header.
	ErrNotWAV = errors.New("not a RIFF/WAVE file")

	// ErrTruncated reports a WAV file that ends inside a header or before
	// the number of bytes its chunks declare.
	ErrTruncated = errors.New("truncated WAV")

	// ErrMalformed reports a WAV file whose fields contradict each other or
	// the specification (a fmt chunk that is too short, zero channels, a
	// block align that does not match the sample size, a missing fmt or
	// data chunk...).
	ErrMalformed = errors.New("malformed WAV")

	// ErrUnsupportedFormat reports a well-formed WAV file in an encoding
	// this package does not decode (ADPCM, MP3-in-WAV, 12-byte floats...),
	// or a Format value WriteWAV does not know.
	ErrUnsupportedFormat = errors.New("unsupported WAV format")

	// ErrInvalidAudio reports an Audio value that cannot be written or
	// resampled: nil, no channels, channels of different lengths, or a bad
	// sample rate.
	ErrInvalidAudio = errors.New("invalid audio")

	// ErrTooLarge reports audio that does not fit in a WAV file, whose
	// sizes are 32-bit.
	ErrTooLarge = errors.New("audio too large for WAV")
)
