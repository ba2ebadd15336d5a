package listen

import "errors"

// Sentinel errors of the package; test for them with errors.Is.
var (
	// ErrBadParams reports a query string the endpoint cannot serve.
	ErrBadParams = errors.New("listen: bad parameters")

	// ErrBadConfig reports a Config that Validate rejects.
	ErrBadConfig = errors.New("listen: bad config")
)
