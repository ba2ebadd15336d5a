package metrics

import "errors"

// ErrBadConfig reports a Config that New cannot work with.
var ErrBadConfig = errors.New("metrics: invalid config")
