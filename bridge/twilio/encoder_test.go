package twilio

import (
	"bytes"
	"reflect"
	"testing"
)

// The encoder must reproduce the captured-style fixtures byte for byte when
// it plays the same stream.
func TestStreamEncoderMatchesFixtures(t *testing.T) {
	inbound := fixtureAudio(t, "media_inbound.json")
	outbound := fixtureAudio(t, "media_outbound.json")
	enc := NewStreamEncoder(fixtureInfo())
	got := [][]byte{
		enc.Connected(),
		enc.Start(),
		enc.Media(TrackInbound, inbound),
		enc.Media(TrackOutbound, outbound),
		enc.Media(TrackInbound, inbound),
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
	var p Parser
	parse := func(data []byte) Media {
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
		{"first", enc.Media(TrackInbound, frame), 1, 0},
		{"second", enc.Media(TrackInbound, frame), 2, 20},
		{"other track starts at zero", enc.Media(TrackOutbound, frame[:80]), 1, 0},
		{"half frame advances 10 ms", enc.Media(TrackOutbound, frame), 2, 10},
		{"explicit jump", enc.MediaAt(TrackInbound, 1000, frame), 3, 1000},
		{"continues after the jump", enc.Media(TrackInbound, frame), 4, 1020},
	}
	for _, tt := range tests {
		if m := parse(tt.data); m.Chunk != tt.chunk || m.TimestampMS != tt.atMS {
			t.Errorf("%s: chunk %d at %d ms, want chunk %d at %d ms", tt.name, m.Chunk, m.TimestampMS, tt.chunk, tt.atMS)
		}
	}
	if got := enc.Position(TrackInbound); got != 1040 {
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
	m, err := ParseMessage(NewStreamEncoder(info).Start())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"caller name": info.CustomParameters["caller name"], "bad utf8": "a\uFFFDb"}
	if m.Start.CallSID != info.CallSID || m.StreamSID != info.StreamSID || !reflect.DeepEqual(m.Start.CustomParameters, want) {
		t.Errorf("round trip = %+v", m.Start)
	}
	if m.Start.MediaFormat.Validate() != nil || !reflect.DeepEqual(m.Start.Tracks, []Track{TrackInbound}) {
		t.Errorf("defaults = %+v %v", m.Start.MediaFormat, m.Start.Tracks)
	}
}

func TestOutboundMessages(t *testing.T) {
	tests := []struct {
		name string
		got  []byte
		want string
	}{
		{"mark", EncodeMark("MZ1", "utterance-3"), `{"event":"mark","streamSid":"MZ1","mark":{"name":"utterance-3"}}`},
		{"clear", EncodeClear("MZ1"), `{"event":"clear","streamSid":"MZ1"}`},
	}
	for _, tt := range tests {
		if string(tt.got) != tt.want {
			t.Errorf("%s = %s, want %s", tt.name, tt.got, tt.want)
		}
	}
	type transcript struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	data, err := EncodeTranscript(transcript{Type: "transcript", Text: "hello"})
	if err != nil || string(data) != `{"type":"transcript","text":"hello"}` {
		t.Errorf("EncodeTranscript = %s, %v", data, err)
	}
	if _, err := EncodeTranscript(func() {}); err == nil {
		t.Error("EncodeTranscript accepted a value JSON cannot hold")
	}
}
