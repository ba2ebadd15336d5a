package wire

import (
	"errors"
	"testing"
)

// Every captured message, parsed and encoded again, is byte for byte what
// the platform wrote: key order, counters as strings, "inbound_track".
func TestEncodeReproducesFixtures(t *testing.T) {
	for _, name := range fixtureOrder {
		want := readFixture(t, name)
		m, err := ParseMessage(want)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got, err := Encode(m)
		if err != nil || string(got) != string(want) {
			t.Errorf("%s:\ngot  %s (%v)\nwant %s", name, got, err, want)
		}
	}
}

func TestOutboundMessages(t *testing.T) {
	tests := []struct {
		name string
		m    Message
		want string
	}{
		{"mark", Message{Event: EventMark, StreamSID: "MZ1", Mark: Mark{Name: "utterance-3"}}, `{"event":"mark","streamSid":"MZ1","mark":{"name":"utterance-3"}}`},
		{"clear", Message{Event: EventClear, StreamSID: "MZ1"}, `{"event":"clear","streamSid":"MZ1"}`},
	}
	for _, tt := range tests {
		if got, err := Encode(tt.m); err != nil || string(got) != tt.want {
			t.Errorf("%s = %s (%v), want %s", tt.name, got, err, tt.want)
		}
	}
	if _, err := Encode(Message{Event: "hangup"}); !errors.Is(err, ErrUnknownEvent) {
		t.Errorf("Encode of an unknown event: %v", err)
	}
}

func TestEncodePayload(t *testing.T) {
	audio := []byte{0xff, 0x7f, 0x00, 0x80}
	m := Media{Payload: EncodePayload(audio)}
	got, err := m.AppendPayload(nil)
	if err != nil || string(got) != string(audio) || m.PayloadLen() != len(audio) {
		t.Errorf("%q decodes to %v (%v), PayloadLen %d", m.Payload, got, err, m.PayloadLen())
	}
}
