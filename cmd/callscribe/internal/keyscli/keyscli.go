// Package keyscli is the "callscribe keys" command: create, list and revoke
// API keys in the service's store. It lives outside package main, which
// links whisper.cpp, so that it builds and tests without cgo; main only
// hands it its arguments.
package keyscli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/callscribe/callscribe/bridge/auth"
	"github.com/callscribe/callscribe/bridge/clock"
	"github.com/callscribe/callscribe/cmd/callscribe/internal/datastore"
	"github.com/callscribe/callscribe/cmd/callscribe/internal/envflags"
)

// ErrUsage reports a command line that was wrong; the explanation has
// been written to stderr already.
var ErrUsage = errors.New("keyscli: usage")

// Usage is the help text of the command.
const Usage = `usage:
  callscribe keys create --scopes stream,read [--name N] [store flags]
  callscribe keys list [store flags]
  callscribe keys revoke ID [store flags]

create prints the new key, and nothing else, on stdout: it is shown only
once. Scopes: stream (send audio), read (calls, events, transcripts), admin
(everything, including webhooks and keys).

store flags:
  --data-dir D   folder of the service's SQLite store, webhooks.db (CALLSCRIBE_DATA_DIR; default data)
  --store URL    a postgres:// URL instead of the SQLite file (CALLSCRIBE_STORE)
`

// Store is what the command needs of the service's store.
type Store interface {
	auth.KeyStore
	Close() error
}

// Run runs "callscribe keys" with args (after "keys"). clk gives the time
// keys are created and revoked at.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer, clk clock.Clock) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, Usage)
		return ErrUsage
	}
	c := command{stdout: stdout, stderr: stderr, clock: clock.Or(clk)}
	switch args[0] {
	case "create":
		return c.create(ctx, args[1:])
	case "list":
		return c.list(ctx, args[1:])
	case "revoke":
		return c.revoke(ctx, args[1:])
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, Usage)
		return nil
	}
	fmt.Fprintf(stderr, "callscribe keys: unknown command %q\n\n%s", args[0], Usage)
	return ErrUsage
}

type command struct {
	stdout, stderr io.Writer
	clock          clock.Clock
	dataDir, store string
}

// flags returns a flag set with the store flags of c.
func (c *command) flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("keys "+name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.Usage = func() { fmt.Fprint(c.stderr, Usage) }
	fs.StringVar(&c.dataDir, "data-dir", "data", "folder of webhooks.db")
	fs.StringVar(&c.store, "store", "", "postgres:// URL of the store")
	return fs
}

// parse parses args, flags before and after positional arguments alike
// ("revoke ID --data-dir D"), fills the store flags not given from the
// environment as serve does, and returns the positional arguments.
func (c *command) parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, ErrUsage
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if err := envflags.Fill(fs); err != nil {
		return nil, err
	}
	return pos, nil
}

// open opens the store: PostgreSQL when --store names it, otherwise the
// SQLite file in --data-dir, which only create may bring into being.
func (c *command) open(ctx context.Context, create bool) (Store, error) {
	return datastore.Open(ctx, datastore.Config{URL: c.store, DataDir: c.dataDir, Create: create})
}
