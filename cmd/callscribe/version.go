package main

import (
	"fmt"
	"io"
	"runtime/debug"

	"github.com/callscribe/callscribe/transcribe/engine"
)

func versionCmd(w io.Writer) error {
	v := "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		v = bi.Main.Version
	}
	_, err := fmt.Fprintf(w, "callscribe %s\nwhisper.cpp %s\n%s\n", v, engine.Version(), engine.SystemInfo())
	return err
}
