package wire

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

var sentinels = []error{
	ErrOversized, ErrMalformedJSON, ErrUnknownEvent, ErrMissingField,
	ErrBadField, ErrBadPayload, ErrUnsupportedFormat,
}

// FuzzParseMessage checks what the parser adds to encoding/json, with
// properties that can fail:
//   - every error wraps exactly one sentinel; ErrOversized exactly when the
//     message is over MaxMessageBytes, ErrMalformedJSON exactly when it is
//     not a JSON object encoding/json accepts;
//   - a parsed message keeps the promises of its type: a known event, only
//     that event's body set, a track that is inbound or outbound, a DTMF
//     key, counters that are not negative, a payload that is base64;
//   - a parsed message encoded again (Encode) parses to the same message;
//   - the payload decodes, to exactly PayloadLen bytes;
//   - a Parser that parsed other messages first returns what a fresh one
//     does: the buffers it reuses leak nothing from message to message.
func FuzzParseMessage(f *testing.F) {
	for _, name := range fixtureOrder {
		f.Add(readFixture(f, name))
	}
	f.Add([]byte(`{"event":"med\u0069a","media":{"payload":"A\/==","timestamp":7},"streamSid":"\u00e9"}`))
	f.Add([]byte(`{"event":"start","start":{"callSid":"C","streamSid":"S","tracks":["outbound_track"],"customParameters":{"k":[1,{"a":null}]}}}`))
	f.Add([]byte(`{"event":"dtmf","dtmf":{"digit":"*"},"x":[[[-0.5e+3,true]]]}`))
	f.Add([]byte(`{"EVENT":"mark","Mark":{"NAME":"m"},"sequenceNumber":12}`))
	warmup := warmupMessages(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseMessage(data)
		var p Parser
		for _, w := range warmup {
			_, _ = p.Parse(w)
		}
		if m2, err2 := p.Parse(data); !reflect.DeepEqual(m2, m) || errText(err2) != errText(err) {
			t.Fatalf("a used Parser returned %+v, %v; a fresh one %+v, %v", m2, err2, m, err)
		}
		if err != nil {
			checkError(t, data, err)
			return
		}
		if !json.Valid(data) || !isObject(data) {
			t.Fatalf("parsed what encoding/json calls no JSON object: %+v", m)
		}
		checkPromises(t, m)
		audio, err := m.Media.AppendPayload(nil)
		if err != nil || len(audio) != m.Media.PayloadLen() {
			t.Fatalf("payload decodes to %d bytes (%v), PayloadLen %d", len(audio), err, m.Media.PayloadLen())
		}
		encoded, err := Encode(m)
		if err != nil {
			t.Fatalf("Encode(%+v): %v", m, err)
		}
		if len(encoded) > MaxMessageBytes {
			return // escaping grew it past what Parse takes
		}
		again, err := ParseMessage(encoded)
		if err != nil || !reflect.DeepEqual(again, m) {
			t.Fatalf("encoded as %s, parsed again as %+v (%v), want %+v", encoded, again, err, m)
		}
	})
}

// warmupMessages are what a Parser parses before the fuzzed input: every
// body filled, and a payload longer than most, so that leftovers would show.
func warmupMessages(f *testing.F) [][]byte {
	f.Helper()
	var out [][]byte
	for _, name := range fixtureOrder {
		out = append(out, readFixture(f, name))
	}
	long := `{"event":"media","sequenceNumber":"9","media":{"track":"outbound","chunk":"4","timestamp":"60","payload":"` +
		strings.Repeat("QUJD", 300) + `"},"streamSid":"MZwarm"}`
	return append(out, []byte(long))
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func checkError(t *testing.T, data []byte, err error) {
	t.Helper()
	wrapped := 0
	for _, s := range sentinels {
		if errors.Is(err, s) {
			wrapped++
		}
	}
	if wrapped != 1 {
		t.Fatalf("error %q wraps %d sentinels, want 1", err, wrapped)
	}
	if oversized := len(data) > MaxMessageBytes; oversized != errors.Is(err, ErrOversized) {
		t.Fatalf("%d bytes: %v", len(data), err)
	}
	if errors.Is(err, ErrOversized) {
		return
	}
	if object := json.Valid(data) && isObject(data); object == errors.Is(err, ErrMalformedJSON) {
		t.Fatalf("JSON object %v, and the error is %v", object, err)
	}
}

// checkPromises checks what a parsed message guarantees beyond its types.
func checkPromises(t *testing.T, m Message) {
	t.Helper()
	body := map[EventType]any{EventConnected: m.Connected, EventStart: m.Start, EventMedia: m.Media,
		EventDTMF: m.DTMF, EventMark: m.Mark, EventStop: m.Stop}
	if _, known := body[m.Event]; !known {
		t.Fatalf("parsed an unknown event %q", m.Event)
	}
	for ev, b := range body {
		if ev != m.Event && !reflect.ValueOf(b).IsZero() {
			t.Fatalf("a %s message has a %s body: %+v", m.Event, ev, b)
		}
	}
	tracks := append([]Track{m.Media.Track, m.DTMF.Track}, m.Start.Tracks...)
	for _, tr := range tracks {
		if tr != "" && tr != TrackInbound && tr != TrackOutbound {
			t.Fatalf("track %q", tr)
		}
	}
	if m.SequenceNumber < 0 || m.Media.Chunk < 0 || m.Media.TimestampMS < 0 {
		t.Fatalf("negative counter: %+v", m)
	}
	switch m.Event {
	case EventMedia:
		if m.Media.Track == "" || checkBase64(m.Media.Payload) != nil {
			t.Fatalf("media %+v", m.Media)
		}
	case EventDTMF:
		if len(m.DTMF.Digit) != 1 || !strings.Contains(dtmfKeys, m.DTMF.Digit) || m.DTMF.Track == "" {
			t.Fatalf("dtmf %+v", m.DTMF)
		}
	case EventStart:
		if m.Start.CallSID == "" || m.Start.StreamSID == "" || m.Start.StreamSID != m.StreamSID {
			t.Fatalf("start %+v on stream %q", m.Start, m.StreamSID)
		}
	case EventMark:
		if m.Mark.Name == "" {
			t.Fatal("a mark without a name")
		}
	}
}
