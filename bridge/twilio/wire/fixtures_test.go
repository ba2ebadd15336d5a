package wire

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// Values the fixtures under testdata were written with.
const (
	fixtureAccount = "AC3f9c1e0b7d2a4856e1f0c9b8a7d6e5f4"
	fixtureCall    = "CA8e2d4c6b0a1f3e5d7c9b1a3f5e7d9c1b"
	fixtureStream  = "MZ0a1b2c3d4e5f60718293a4b5c6d7e8f9"
)

// fixtureOrder is the order the fixtures were captured in, one stream.
var fixtureOrder = []string{
	"connected.json", "start.json", "media_inbound.json", "media_outbound.json",
	"media_inbound_2.json", "dtmf.json", "mark.json", "stop.json",
}

func readFixture(tb testing.TB, name string) []byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return bytes.TrimSuffix(data, []byte("\n"))
}
