package twilio

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
)

var sentinels = []error{
	ErrOversized, ErrMalformedJSON, ErrUnknownEvent, ErrMissingField,
	ErrBadField, ErrBadPayload, ErrUnsupportedFormat,
}

// FuzzParseMessage checks the hand-written reader against encoding/json: both
// must agree on what is well-formed JSON, every value the parser returns must
// be what encoding/json reads at the same key, and every error must wrap
// exactly one sentinel.
func FuzzParseMessage(f *testing.F) {
	for _, name := range fixtureOrder {
		f.Add(readFixture(f, name))
	}
	f.Add([]byte(`{"event":"med\u0069a","media":{"payload":"A\/==","timestamp":7},"streamSid":"\u00e9"}`))
	f.Add([]byte(`{"event":"start","start":{"callSid":"C","streamSid":"S","tracks":["outbound_track"],"customParameters":{"k":[1,{"a":null}]}}}`))
	f.Add([]byte(`{"event":"dtmf","dtmf":{"digit":"*"},"x":[[[-0.5e+3,true]]]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var p Parser
		m, err := p.Parse(data)
		if err != nil {
			checkError(t, data, err)
			return
		}
		if !json.Valid(data) {
			t.Fatalf("parsed what encoding/json calls invalid: %+v", m)
		}
		var ref map[string]any
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		if err := dec.Decode(&ref); err != nil {
			t.Fatalf("encoding/json cannot decode what parsed: %v", err)
		}
		checkAgainstReference(t, ref, m)
		audio, err := m.Media.AppendPayload(nil)
		if err != nil || len(audio) != m.Media.PayloadLen() {
			t.Fatalf("payload decodes to %d bytes (%v), PayloadLen %d", len(audio), err, m.Media.PayloadLen())
		}
	})
}

func checkError(t *testing.T, data []byte, err error) {
	wrapped := 0
	for _, s := range sentinels {
		if errors.Is(err, s) {
			wrapped++
		}
	}
	if wrapped != 1 {
		t.Fatalf("error %q wraps %d sentinels, want 1", err, wrapped)
	}
	if errors.Is(err, ErrOversized) {
		return
	}
	malformed := errors.Is(err, ErrMalformedJSON)
	// The reader is stricter than JSON in two documented ways: the message
	// must be an object, and nesting is bounded.
	stricter := strings.Contains(err.Error(), "want a JSON object") || strings.Contains(err.Error(), "nesting too deep")
	if valid := json.Valid(data); malformed && valid && !stricter {
		t.Fatalf("rejected valid JSON: %v", err)
	} else if !malformed && !valid {
		t.Fatalf("accepted invalid JSON and then failed with %v", err)
	}
}

// checkAgainstReference compares what the parser returned with the same keys
// read by encoding/json.
func checkAgainstReference(t *testing.T, ref map[string]any, m Message) {
	if ref["event"] != string(m.Event) {
		t.Fatalf("event %q, encoding/json read %v", m.Event, ref["event"])
	}
	// An empty SID counts as absent; start may carry the SID inside.
	if sid, ok := ref["streamSid"].(string); ok && sid != "" && sid != m.StreamSID {
		t.Fatalf("streamSid %q, encoding/json read %q", m.StreamSID, sid)
	}
	body, _ := ref[string(m.Event)].(map[string]any)
	if sid, ok := body["streamSid"].(string); ok && m.Event == EventStart && sid != "" && sid != m.Start.StreamSID {
		t.Fatalf("start.streamSid %q, encoding/json read %q", m.Start.StreamSID, sid)
	}
	switch m.Event {
	case EventMedia:
		if body["payload"] != string(m.Media.Payload) {
			t.Fatalf("payload %q, encoding/json read %v", m.Media.Payload, body["payload"])
		}
		if got := fmt.Sprint(body["timestamp"]); strings.TrimLeft(got, "0") != strings.TrimLeft(fmt.Sprint(m.Media.TimestampMS), "0") {
			t.Fatalf("timestamp %d, encoding/json read %s", m.Media.TimestampMS, got)
		}
	case EventStart:
		if body["callSid"] != m.Start.CallSID {
			t.Fatalf("callSid %q, encoding/json read %v", m.Start.CallSID, body["callSid"])
		}
		params, _ := body["customParameters"].(map[string]any)
		for k, v := range params {
			if s, ok := v.(string); ok && m.Start.CustomParameters[k] != s {
				t.Fatalf("parameter %q = %q, encoding/json read %q", k, m.Start.CustomParameters[k], s)
			}
		}
		if len(params) != len(m.Start.CustomParameters) {
			t.Fatalf("%d parameters, encoding/json read %d", len(m.Start.CustomParameters), len(params))
		}
	case EventDTMF:
		if body["digit"] != m.DTMF.Digit {
			t.Fatalf("digit %q, encoding/json read %v", m.DTMF.Digit, body["digit"])
		}
	case EventMark:
		if body["name"] != m.Mark.Name {
			t.Fatalf("mark %q, encoding/json read %v", m.Mark.Name, body["name"])
		}
	}
}
