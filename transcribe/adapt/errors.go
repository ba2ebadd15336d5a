package adapt

import "errors"

// ErrBadConfig is returned, wrapped with what is wrong, by Config.Validate
// and Sizing.Validate.
var ErrBadConfig = errors.New("adapt: invalid config")
