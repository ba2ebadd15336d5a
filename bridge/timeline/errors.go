package timeline

import "errors"

// Sentinel errors of the package, returned wrapped with context; test for
// them with errors.Is.
var (
	// ErrBadConfig reports a Config that cannot describe a timeline, such
	// as a sample rate that is not positive.
	ErrBadConfig = errors.New("timeline: bad config")

	// ErrFasterThanRealTime is returned by RateGuard.Observe when media has
	// run further ahead of wall time than the guard allows: a replay or a
	// flood rather than a live call.
	ErrFasterThanRealTime = errors.New("timeline: media faster than real time")
)
