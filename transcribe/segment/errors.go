package segment

import "errors"

// ErrBadConfig is returned, wrapped with the offending field, by
// Config.Validate and New for a configuration the rules cannot work with.
var ErrBadConfig = errors.New("segment: invalid config")
