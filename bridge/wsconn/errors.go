package wsconn

import "errors"

// Sentinel errors of the package; test for them with errors.Is.
var (
	// ErrBadConfig reports a Config that Validate rejects.
	ErrBadConfig = errors.New("wsconn: bad config")

	// ErrDone is what a Handler returns from Message to end its session
	// normally: the stream is over (a stop message, a CloseStream). The
	// peer gets code 1000 and Config.NormalReason.
	ErrDone = errors.New("wsconn: stream done")

	// ErrWoken is what Source.Next returns when its wake channel became
	// ready before an event was queued.
	ErrWoken = errors.New("wsconn: woken")

	// ErrWriteFailed ends a Feed whose event could not be written: the
	// peer stopped reading for WriteTimeout, or the connection broke.
	ErrWriteFailed = errors.New("wsconn: write failed")
)
