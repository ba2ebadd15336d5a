package segment

import "errors"

// ErrInvalidConfig is returned, wrapped with the offending field, by
// Config.Validate and New for a configuration the rules cannot work with.
var ErrInvalidConfig = errors.New("segment: invalid config")
