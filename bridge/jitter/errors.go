package jitter

import "errors"

// ErrBadConfig reports a Config that Validate rejects.
var ErrBadConfig = errors.New("jitter: bad config")
