package ogg

import "errors"

// Sentinel errors; the Demuxer wraps them with what it found, so test them
// with errors.Is.
var (
	// ErrNeedMore means the bytes written so far end inside a page: write
	// more, then call Next again. It is not wrapped.
	ErrNeedMore = errors.New("ogg: need more data")

	// ErrCorrupt reports bytes that are no Ogg page where one must start,
	// a CRC that does not match, or a stream that does not begin with a
	// first page.
	ErrCorrupt = errors.New("ogg: corrupt stream")

	// ErrTooLarge reports a packet over Config.MaxPacket.
	ErrTooLarge = errors.New("ogg: packet too large")

	// ErrBadConfig reports a Config that Validate rejects.
	ErrBadConfig = errors.New("ogg: bad config")
)
