package jitter

import (
	"fmt"
	"strings"
	"testing"
)

// f20 is a 20 ms packet at 48 kHz, in ticks.
const f20 = 960

// pk is a 20 ms packet whose timestamp follows from its sequence number.
func pk(seq uint16) Packet {
	return Packet{Seq: seq, Timestamp: uint32(seq) * f20, Duration: f20, Payload: []byte{byte(seq)}}
}

// at is packet seq with timestamp ts.
func at(seq uint16, ts uint32) Packet {
	return Packet{Seq: seq, Timestamp: ts, Duration: f20, Payload: []byte{byte(seq)}}
}

// recorder collects released spans, written compactly: "A3@2880" is
// packet 3 at 2880, "L@960+960" a loss concealed, "S@..." silence, a "!"
// before a span marks Reset, "<n" after a Lost span the FEC packet.
type recorder struct{ spans []Span }

func (r *recorder) sink(s Span) {
	s.Payload = append([]byte(nil), s.Payload...)
	r.spans = append(r.spans, s)
}

func (r *recorder) String() string {
	var parts []string
	for _, s := range r.spans {
		p := ""
		if s.Reset {
			p = "!"
		}
		switch s.Kind {
		case Audio:
			p += fmt.Sprintf("A%d@%d", s.Seq, s.Start)
		case Lost:
			p += fmt.Sprintf("L@%d+%d", s.Start, s.Duration)
			if len(s.Payload) > 0 {
				p += fmt.Sprintf("<%d", s.Payload[0])
			}
		case Silence:
			p += fmt.Sprintf("S@%d+%d", s.Start, s.Duration)
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, " ")
}

// newBuffer returns a 48 kHz buffer with cfg's other fields and its
// recorder.
func newBuffer(t *testing.T, cfg Config) (*Buffer, *recorder) {
	t.Helper()
	cfg.ClockRate = 48000
	r := &recorder{}
	b, err := New(cfg, r.sink)
	if err != nil {
		t.Fatal(err)
	}
	return b, r
}
