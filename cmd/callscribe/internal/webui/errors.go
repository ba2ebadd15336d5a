package webui

import "errors"

// ErrBadConfig reports a Config that New cannot work with.
var ErrBadConfig = errors.New("webui: invalid config")
