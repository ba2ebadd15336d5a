package deepgram

import "errors"

// Sentinel errors of the package; test for them with errors.Is.
var (
	// ErrBadParams reports a query string or request the endpoint cannot
	// serve.
	ErrBadParams = errors.New("deepgram: bad parameters")

	// ErrUnsupported reports audio the server cannot decode: an encoding
	// or container it has no decoder for.
	ErrUnsupported = errors.New("deepgram: unsupported audio")

	// ErrURLRefused reports a request to fetch audio from a URL that the
	// server does not fetch (disabled, or an address it will not reach).
	ErrURLRefused = errors.New("deepgram: url refused")

	// ErrBadConfig reports a Config that Validate rejects.
	ErrBadConfig = errors.New("deepgram: bad config")
)
