package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/callscribe/callscribe/transcribe/engine"
)

// versionCmd prints the versions, the CPU features, and the devices ggml
// can run on here: what --device auto would see.
func versionCmd(w io.Writer) error {
	v := "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		v = bi.Main.Version
	}
	devs, err := engine.Devices(os.Getenv("CALLSCRIBE_GGML_BACKENDS"))
	if err != nil {
		return err
	}
	names := make([]string, len(devs))
	for i, d := range devs {
		names[i] = d.String()
	}
	_, err = fmt.Fprintf(w, "callscribe %s\nwhisper.cpp %s\n%s\ndevices: %s\n", v, engine.Version(), engine.SystemInfo(), strings.Join(names, "; "))
	return err
}
