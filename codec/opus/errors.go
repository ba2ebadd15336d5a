package opus

import "errors"

// Sentinel errors; the functions of this package wrap them with libopus's
// own message, so test them with errors.Is.
var (
	// ErrBadConfig reports a rate, channel count or encoder setting libopus
	// does not take.
	ErrBadConfig = errors.New("opus: bad config")

	// ErrInvalidPacket reports a packet libopus cannot decode: empty,
	// truncated or corrupt.
	ErrInvalidPacket = errors.New("opus: invalid packet")

	// ErrBadFrame reports PCM handed to Encode that is not one Opus frame
	// (2.5, 5, 10, 20, 40 or 60 ms), or a concealment length that is not a
	// whole number of 2.5 ms.
	ErrBadFrame = errors.New("opus: bad frame size")

	// ErrClosed reports a Decoder or Encoder used after Close.
	ErrClosed = errors.New("opus: closed")
)
