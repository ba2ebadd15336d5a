package twilio

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

func fixtureInfo() StreamInfo {
	return StreamInfo{
		AccountSID: fixtureAccount,
		CallSID:    fixtureCall,
		StreamSID:  fixtureStream,
		Tracks:     []Track{TrackInbound, TrackOutbound},
		CustomParameters: map[string]string{
			"campaign": "spring-renewals",
			"queue":    "billing",
		},
	}
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(data, []byte("\n"))
}

// fixtureAudio decodes the payload of a media fixture.
func fixtureAudio(t testing.TB, name string) []byte {
	t.Helper()
	m, err := ParseMessage(readFixture(t, name))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	audio, err := m.Media.AppendPayload(nil)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return audio
}
