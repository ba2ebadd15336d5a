package webm

import "errors"

// Sentinel errors; the Demuxer wraps them with what it found, so test them
// with errors.Is.
var (
	// ErrNeedMore means the bytes written so far end inside an element:
	// write more, then call Next again. It is not wrapped.
	ErrNeedMore = errors.New("webm: need more data")

	// ErrCorrupt reports bytes that are no EBML element where one must
	// start, a stream that does not begin with an EBML header, or a block
	// whose lacing does not add up.
	ErrCorrupt = errors.New("webm: corrupt stream")

	// ErrTooLarge reports an element the Demuxer must read that is over
	// Config.MaxElement, or more tracks than Config.MaxTracks.
	ErrTooLarge = errors.New("webm: element too large")

	// ErrBadConfig reports a Config that Validate rejects.
	ErrBadConfig = errors.New("webm: bad config")
)
