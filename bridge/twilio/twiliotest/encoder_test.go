package twiliotest

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/callscribe/callscribe/bridge/twilio/wire"
)

// The captured messages of one stream live with the parser's tests.
const fixtureDir = "../wire/testdata"

// fixtureOrder is the order the fixtures were captured in, one stream.
var fixtureOrder = []string{
	"connected.json", "start.json", "media_inbound.json", "media_outbound.json",
	"media_inbound_2.json", "dtmf.json", "mark.json", "stop.json",
}

// fixtureInfo is the stream the fixtures were captured from.
func fixtureInfo() StreamInfo {
	return StreamInfo{
		AccountSID: "AC3f9c1e0b7d2a4856e1f0c9b8a7d6e5f4",
		CallSID:    "CA8e2d4c6b0a1f3e5d7c9b1a3f5e7d9c1b",
		StreamSID:  "MZ0a1b2c3d4e5f60718293a4b5c6d7e8f9",
		Tracks:     []wire.Track{wire.TrackInbound, wire.TrackOutbound},
		CustomParameters: map[string]string{
			"campaign": "spring-renewals",
			"queue":    "billing",
		},
	}
}

func readFixture(tb testing.TB, name string) []byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join(fixtureDir, name))
	if err != nil {
		tb.Fatal(err)
	}
	return bytes.TrimSuffix(data, []byte("\n"))
}

// fixtureAudio decodes the payload of a media fixture.
func fixtureAudio(tb testing.TB, name string) []byte {
	tb.Helper()
	m, err := wire.ParseMessage(readFixture(tb, name))
	if err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
	audio, err := m.Media.AppendPayload(nil)
	if err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
	return audio
}

// The encoder must reproduce the captured-style fixtures byte for byte when
// it plays the same stream.
func TestStreamEncoderMatchesFixtures(t *testing.T) {
	inbound := fixtureAudio(t, "media_inbound.json")
	outbound := fixtureAudio(t, "media_outbound.json")
	enc := NewStreamEncoder(fixtureInfo())
	got := [][]byte{
		enc.Connected(),
		enc.Start(),
		enc.Media(wire.TrackInbound, inbound),
		enc.Media(wire.TrackOutbound, outbound),
		enc.Media(wire.TrackInbound, inbound),
		enc.DTMF("7"),
		enc.Mark("greeting-done"),
		enc.Stop(),
	}
	for i, name := range fixtureOrder {
		if want := readFixture(t, name); !bytes.Equal(got[i], want) {
			t.Errorf("%s:\ngot  %s\nwant %s", name, got[i], want)
		}
	}
}

func TestStreamEncoderTimestamps(t *testing.T) {
	enc := NewStreamEncoder(StreamInfo{StreamSID: "MZ1"})
	frame := make([]byte, 160)
	var p wire.Parser
	parse := func(data []byte) wire.Media {
		t.Helper()
		m, err := p.Parse(data)
		if err != nil {
			t.Fatal(err)
		}
		return m.Media
	}
	tests := []struct {
		name        string
		data        []byte
		chunk, atMS int64
	}{
		{"first", enc.Media(wire.TrackInbound, frame), 1, 0},
		{"second", enc.Media(wire.TrackInbound, frame), 2, 20},
		{"other track starts at zero", enc.Media(wire.TrackOutbound, frame[:80]), 1, 0},
		{"half frame advances 10 ms", enc.Media(wire.TrackOutbound, frame), 2, 10},
		{"explicit jump", enc.MediaAt(wire.TrackInbound, 1000, frame), 3, 1000},
		{"continues after the jump", enc.Media(wire.TrackInbound, frame), 4, 1020},
	}
	for _, tt := range tests {
		if m := parse(tt.data); m.Chunk != tt.chunk || m.TimestampMS != tt.atMS {
			t.Errorf("%s: chunk %d at %d ms, want chunk %d at %d ms", tt.name, m.Chunk, m.TimestampMS, tt.chunk, tt.atMS)
		}
	}
	if got := enc.Position(wire.TrackInbound); got != 1040 {
		t.Errorf("Position = %d ms, want 1040", got)
	}
}

// Values that need escaping must survive a trip through the parser.
func TestStreamEncoderEscapes(t *testing.T) {
	info := StreamInfo{
		CallSID:   "CA\"quoted\"",
		StreamSID: "MZ\\slash",
		CustomParameters: map[string]string{
			"caller name": "Zoë \u2028 <agent> & \t tab",
			"bad utf8":    "a\xffb",
		},
	}
	m, err := wire.ParseMessage(NewStreamEncoder(info).Start())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"caller name": info.CustomParameters["caller name"], "bad utf8": "a\uFFFDb"}
	if m.Start.CallSID != info.CallSID || m.StreamSID != info.StreamSID || !reflect.DeepEqual(m.Start.CustomParameters, want) {
		t.Errorf("round trip = %+v", m.Start)
	}
	if m.Start.MediaFormat.Validate() != nil || !reflect.DeepEqual(m.Start.Tracks, []wire.Track{wire.TrackInbound}) {
		t.Errorf("defaults = %+v %v", m.Start.MediaFormat, m.Start.Tracks)
	}
}

// BenchmarkEncodeMedia measures what the load generator pays per frame.
func BenchmarkEncodeMedia(b *testing.B) {
	enc := NewStreamEncoder(fixtureInfo())
	frame := make([]byte, 160)
	b.ReportAllocs()
	for b.Loop() {
		enc.Media(wire.TrackInbound, frame)
	}
}
