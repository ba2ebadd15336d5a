package rtpaudio

import "errors"

// Sentinel errors; Track's errors wrap them.
var (
	// ErrBadConfig reports a Config that Validate rejects.
	ErrBadConfig = errors.New("rtpaudio: bad config")

	// ErrTooFast reports media arriving faster than real time: a flood
	// or a replay, not a live call.
	ErrTooFast = errors.New("rtpaudio: media faster than real time")

	// ErrSink reports that the track's sink failed (the transcriber is
	// overloaded or closed); the track takes nothing more.
	ErrSink = errors.New("rtpaudio: track sink failed")
)
