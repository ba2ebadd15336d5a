// Package envflags fills a command's flags from the environment, the one
// rule every callscribe command follows: a flag given on the command line
// wins, then its variable (CALLSCRIBE_ and the flag name in upper case,
// dashes as underscores: --beam-size is CALLSCRIBE_BEAM_SIZE), then the
// default. A malformed variable is an error, not a silent default.
package envflags

import (
	"flag"
	"fmt"
	"os"
	"strings"
)

// Name returns the environment variable of a flag.
func Name(flagName string) string {
	return "CALLSCRIBE_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// Fill sets every flag of fs not given on the command line (fs must be
// parsed) from its environment variable, if that is set and not empty.
func Fill(fs *flag.FlagSet) error {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if given[f.Name] || err != nil {
			return
		}
		key := Name(f.Name)
		if v, ok := os.LookupEnv(key); ok && v != "" {
			if e := fs.Set(f.Name, v); e != nil {
				err = fmt.Errorf("%s=%q: %w", key, v, e)
			}
		}
	})
	return err
}
