package wire

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParseMessageFixtures(t *testing.T) {
	tests := []struct {
		file string
		want Message
	}{
		{"connected.json", Message{Event: EventConnected, Connected: Connected{Protocol: "Call", Version: "1.0.0"}}},
		{"start.json", Message{Event: EventStart, SequenceNumber: 1, StreamSID: fixtureStream, Start: Start{
			AccountSID: fixtureAccount, StreamSID: fixtureStream, CallSID: fixtureCall,
			Tracks:           []Track{TrackInbound, TrackOutbound},
			MediaFormat:      MediaFormat{Encoding: "audio/x-mulaw", SampleRate: 8000, Channels: 1},
			CustomParameters: map[string]string{"campaign": "spring-renewals", "queue": "billing"},
		}}},
		{"dtmf.json", Message{Event: EventDTMF, SequenceNumber: 5, StreamSID: fixtureStream, DTMF: DTMF{Track: TrackInbound, Digit: "7"}}},
		{"mark.json", Message{Event: EventMark, SequenceNumber: 6, StreamSID: fixtureStream, Mark: Mark{Name: "greeting-done"}}},
		{"stop.json", Message{Event: EventStop, SequenceNumber: 7, StreamSID: fixtureStream, Stop: Stop{AccountSID: fixtureAccount, CallSID: fixtureCall}}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := ParseMessage(readFixture(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseMessageMediaFixtures(t *testing.T) {
	tests := []struct {
		file        string
		track       Track
		seq, chunk  int64
		timestampMS int64
	}{
		{"media_inbound.json", TrackInbound, 2, 1, 0},
		{"media_outbound.json", TrackOutbound, 3, 1, 0},
		{"media_inbound_2.json", TrackInbound, 4, 2, 20},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			m, err := ParseMessage(readFixture(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if m.Event != EventMedia || m.StreamSID != fixtureStream || m.SequenceNumber != tt.seq {
				t.Errorf("envelope = %q %q seq %d", m.Event, m.StreamSID, m.SequenceNumber)
			}
			md := m.Media
			if md.Track != tt.track || md.Chunk != tt.chunk || md.TimestampMS != tt.timestampMS {
				t.Errorf("media = %s chunk %d at %d ms", md.Track, md.Chunk, md.TimestampMS)
			}
			audio, err := md.AppendPayload(nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(audio) != 160 || md.PayloadLen() != 160 {
				t.Errorf("decoded %d bytes, PayloadLen %d, want 160", len(audio), md.PayloadLen())
			}
		})
	}
}

func TestParseMessageErrors(t *testing.T) {
	const media = `{"event":"media","streamSid":"MZ1","media":{"track":"inbound","chunk":"1","timestamp":"20","payload":"AAAA"}}`
	tests := []struct {
		name    string
		input   string
		want    error
		mention string // a word the error must name
	}{
		{"empty", ``, ErrMalformedJSON, "want a JSON object"},
		{"array", `[1,2]`, ErrMalformedJSON, "want a JSON object"},
		{"truncated", media[:60], ErrMalformedJSON, "offset"},
		{"trailing data", media + `{}`, ErrMalformedJSON, "after top-level value"},
		{"trailing comma", `{"event":"stop",}`, ErrMalformedJSON, "object key"},
		{"bad escape", `{"event":"st\op"}`, ErrMalformedJSON, "escape"},
		{"control char", "{\"event\":\"st\top\"}", ErrMalformedJSON, "in string literal"},
		{"leading zero", `{"event":"stop","sequenceNumber":01}`, ErrMalformedJSON, "offset"},
		// encoding/json follows 10000 levels, which fit in MaxMessageBytes.
		{"deep nesting", `{"x":` + strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + `}`, ErrMalformedJSON, "max depth"},
		{"oversized", `{"event":"media","pad":"` + strings.Repeat("x", MaxMessageBytes) + `"}`, ErrOversized, "limit"},
		{"no event", `{"streamSid":"MZ1"}`, ErrMissingField, "event"},
		{"event not a string", `{"event":7}`, ErrBadField, "event"},
		{"unknown event", `{"event":"hangup"}`, ErrUnknownEvent, "hangup"},
		{"clear is ours", `{"event":"clear","streamSid":"MZ1"}`, ErrUnknownEvent, "clear"},
		{"media without body", `{"event":"media","streamSid":"MZ1"}`, ErrMissingField, "media"},
		{"media body not object", `{"event":"media","media":"AAAA"}`, ErrBadField, "object"},
		{"media without timestamp", strings.Replace(media, `"timestamp":"20",`, ``, 1), ErrMissingField, "media.timestamp"},
		{"media without payload", strings.Replace(media, `,"payload":"AAAA"`, ``, 1), ErrMissingField, "media.payload"},
		{"negative timestamp", strings.Replace(media, `"20"`, `"-20"`, 1), ErrBadField, "media.timestamp"},
		{"fractional timestamp", strings.Replace(media, `"20"`, `20.5`, 1), ErrBadField, "media.timestamp"},
		{"huge timestamp", strings.Replace(media, `"20"`, `"1234567890123456789"`, 1), ErrBadField, "media.timestamp"},
		{"unknown track", strings.Replace(media, `"inbound"`, `"both_tracks"`, 1), ErrBadField, "media.track"},
		{"payload not base64", strings.Replace(media, `AAAA`, `AA!A`, 1), ErrBadPayload, "offset 2"},
		{"payload bad length", strings.Replace(media, `AAAA`, `AAAAA`, 1), ErrBadPayload, "multiple of 4"},
		{"payload inner padding", strings.Replace(media, `AAAA`, `A=AA`, 1), ErrBadPayload, "offset 1"},
		{"payload a number", strings.Replace(media, `"AAAA"`, `1234`, 1), ErrBadField, "media.payload"},
		{"bad sequence number", `{"event":"stop","sequenceNumber":"x1"}`, ErrBadField, "sequenceNumber"},
		{"start without callSid", `{"event":"start","streamSid":"MZ1","start":{"streamSid":"MZ1"}}`, ErrMissingField, "start.callSid"},
		{"start without streamSid", `{"event":"start","start":{"callSid":"CA1"}}`, ErrMissingField, "start.streamSid"},
		{"start with two streamSids", `{"event":"start","streamSid":"MZ1","start":{"callSid":"CA1","streamSid":"MZ2"}}`, ErrBadField, "differs"},
		{"start tracks not strings", `{"event":"start","streamSid":"MZ1","start":{"callSid":"CA1","tracks":[1]}}`, ErrBadField, "start.tracks"},
		{"huge sample rate", `{"event":"start","streamSid":"MZ1","start":{"callSid":"CA1","mediaFormat":{"sampleRate":4294975296}}}`, ErrBadField, "sampleRate"},
		{"dtmf not a key", `{"event":"dtmf","dtmf":{"digit":"12"}}`, ErrBadField, "dtmf.digit"},
		{"dtmf without digit", `{"event":"dtmf","dtmf":{"track":"inbound_track"}}`, ErrMissingField, "dtmf.digit"},
		{"mark without name", `{"event":"mark","mark":{}}`, ErrMissingField, "mark.name"},
		{"empty callSid", `{"event":"start","streamSid":"MZ1","start":{"callSid":""}}`, ErrMissingField, "start.callSid"},
		{"stop body not object", `{"event":"stop","stop":[]}`, ErrBadField, "stop"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := ParseMessage([]byte(tt.input))
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v (message %+v)", err, tt.want, m)
			}
			if !strings.Contains(err.Error(), tt.mention) {
				t.Errorf("err %q does not mention %q", err, tt.mention)
			}
			if !reflect.DeepEqual(m, Message{}) {
				t.Errorf("failed parse returned a message: %+v", m)
			}
		})
	}
}

// The protocol is JSON, so anything JSON allows must parse the same: other
// key orders, whitespace, escapes, numbers where strings are usual, unknown
// keys, a repeated key.
func TestParseMessageTolerance(t *testing.T) {
	input := " {\n\t\"streamSid\" : \"MZ\\u0031\", \"extra\":{\"a\":[true,false,null,-1.5e3]},\n" +
		`"media":{"payload":"AA\/A","timestamp":40,"chunk":3},"sequenceNumber":9,` +
		`"\u0065vent":"med\u0069a","event":"media"} ` + "\r\n"
	m, err := ParseMessage([]byte(input))
	if err != nil {
		t.Fatal(err)
	}
	if m.Event != EventMedia || m.StreamSID != "MZ1" || m.SequenceNumber != 9 {
		t.Errorf("envelope = %q %q seq %d", m.Event, m.StreamSID, m.SequenceNumber)
	}
	if m.Media.Track != TrackInbound || m.Media.TimestampMS != 40 || m.Media.Chunk != 3 {
		t.Errorf("media = %+v", m.Media)
	}
	if string(m.Media.Payload) != "AA/A" {
		t.Errorf("payload = %q, want the escape resolved", m.Media.Payload)
	}
}

func TestParseMessageStartDefaults(t *testing.T) {
	// A platform that leaves out what it need not send: no tracks, no
	// format, no parameters, the SID only at the top level, a non-string
	// parameter value.
	m, err := ParseMessage([]byte(`{"event":"start","streamSid":"MZ9","start":{"callSid":"CA9","customParameters":{"n":5,"s":"x"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if m.Start.StreamSID != "MZ9" || m.Start.Tracks != nil || m.Start.MediaFormat != (MediaFormat{}) {
		t.Errorf("start = %+v", m.Start)
	}
	if want := map[string]string{"n": "5", "s": "x"}; !reflect.DeepEqual(m.Start.CustomParameters, want) {
		t.Errorf("parameters = %v, want %v", m.Start.CustomParameters, want)
	}
	if err := m.Start.MediaFormat.Validate(); !errors.Is(err, ErrUnsupportedFormat) {
		t.Errorf("absent format validates: %v", err)
	}
}

func TestParserReusesStreamSID(t *testing.T) {
	var p Parser
	first, err := p.Parse(readFixture(t, "media_inbound.json"))
	if err != nil {
		t.Fatal(err)
	}
	second, err := p.Parse(readFixture(t, "media_outbound.json"))
	if err != nil {
		t.Fatal(err)
	}
	if first.StreamSID != second.StreamSID || unsafeStringData(first.StreamSID) != unsafeStringData(second.StreamSID) {
		t.Error("second message did not reuse the remembered stream SID")
	}
	third, err := p.Parse([]byte(`{"event":"stop","streamSid":"MZother"}`))
	if err != nil || third.StreamSID != "MZother" {
		t.Errorf("a new SID was not taken: %q %v", third.StreamSID, err)
	}
}

// Keys match as encoding/json matches them: exact spelling first, then
// without regard to case.
func TestParseMessageMatchesKeysAsEncodingJSON(t *testing.T) {
	m, err := ParseMessage([]byte(`{"Event":"mark","SEQUENCENUMBER":"4","mark":{"Name":"m1"},"streamSid":"MZ1"}`))
	if err != nil || m.Event != EventMark || m.SequenceNumber != 4 || m.Mark.Name != "m1" {
		t.Errorf("%+v, %v", m, err)
	}
}

// A Parser reuses its buffers; nothing of one message shows in the next,
// and a payload stays valid until the next Parse.
func TestParserLeavesNothingBehind(t *testing.T) {
	var p Parser
	media, err := p.Parse(readFixture(t, "media_inbound.json"))
	if err != nil {
		t.Fatal(err)
	}
	audio, err := media.Media.AppendPayload(nil)
	if err != nil || len(audio) != 160 {
		t.Fatalf("%d bytes, %v", len(audio), err)
	}
	if _, err := p.Parse(readFixture(t, "start.json")); err != nil {
		t.Fatal(err)
	}
	stop, err := p.Parse([]byte(`{"event":"stop"}`))
	if err != nil || !reflect.DeepEqual(stop, Message{Event: EventStop}) {
		t.Errorf("stop after start and media: %+v, %v", stop, err)
	}
	if _, err := p.Parse([]byte(`{"event":"media","media":{"timestamp":"0"}}`)); !errors.Is(err, ErrMissingField) {
		t.Errorf("a media message without payload after one with: %v", err)
	}
}
