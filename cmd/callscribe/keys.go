package main

import (
	"context"
	"errors"
	"io"

	"github.com/callscribe/callscribe/bridge/clock"
	"github.com/callscribe/callscribe/cmd/callscribe/internal/keyscli"
)

// keysCmd runs "callscribe keys create|list|revoke". The command lives in
// package keyscli, which builds and tests without cgo.
func keysCmd(args []string, stdout, stderr io.Writer) error {
	err := keyscli.Run(context.Background(), args, stdout, stderr, clock.System())
	if errors.Is(err, keyscli.ErrUsage) {
		return errUsage
	}
	return err
}
