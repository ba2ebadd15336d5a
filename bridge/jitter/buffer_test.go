package jitter

import (
	"errors"
	"math/rand/v2"
	"testing"
	"time"
)

func TestBuffer(t *testing.T) {
	seqs := func(ss ...uint16) []Packet {
		var ps []Packet
		for _, s := range ss {
			ps = append(ps, pk(s))
		}
		return ps
	}
	tiny := func(seq uint16) Packet { // 2.5 ms packets
		return Packet{Seq: seq, Timestamp: uint32(seq) * 120, Duration: 120, Payload: []byte{byte(seq)}}
	}
	tests := []struct {
		name     string
		cfg      Config
		packets  []Packet
		flush    bool
		want     string
		outcomes []Outcome // of each packet, when given
	}{
		{name: "in order goes at once", packets: seqs(0, 1, 2),
			want: "A0@0 A1@960 A2@1920", outcomes: []Outcome{InOrder, InOrder, InOrder}},
		{name: "reordered within the latency", packets: seqs(0, 2, 1, 3),
			want: "A0@0 A1@960 A2@1920 A3@2880", outcomes: []Outcome{InOrder, InOrder, Reordered, InOrder}},
		{name: "loss concealed once 100 ms waits behind it, with the next packet for FEC", packets: seqs(0, 2, 3, 4, 5, 6, 7, 1),
			want:     "A0@0 L@960+960<2 A2@1920 A3@2880 A4@3840 A5@4800 A6@5760 A7@6720",
			outcomes: []Outcome{InOrder, InOrder, InOrder, InOrder, InOrder, InOrder, InOrder, Late}},
		{name: "a packet waits no more than the latency", packets: seqs(0, 2, 3, 4, 5),
			want: "A0@0"},
		{name: "flush conceals what still waits", packets: seqs(0, 2, 3), flush: true,
			want: "A0@0 L@960+960<2 A2@1920 A3@2880"},
		{name: "two packets lost", packets: seqs(0, 3, 4, 5, 6, 7),
			want: "A0@0 L@960+1920<3 A3@2880 A4@3840 A5@4800 A6@5760 A7@6720"},
		{name: "duplicates, released and held", packets: seqs(0, 1, 1, 3, 3),
			want: "A0@0 A1@960", outcomes: []Outcome{InOrder, InOrder, Duplicate, InOrder, Duplicate}},
		{name: "sequence and timestamp wrap around",
			packets: []Packet{at(65534, 1<<32-2*f20), at(65535, 1<<32-f20), at(0, 0), at(2, 2*f20), at(1, f20)},
			want:    "A65534@0 A65535@960 A0@1920 A1@2880 A2@3840"},
		{name: "a pause in the timestamps is silence, not loss",
			packets: []Packet{pk(0), pk(1), at(2, 2*f20+19200)},
			want:    "A0@0 A1@960 S@1920+19200 A2@21120"},
		{name: "a long loss is concealed for 120 ms, then silence", packets: append(seqs(0), seqs(20, 21, 22, 23, 24, 25)...),
			want: "A0@0 L@960+5760 S@6720+12480 A20@19200 A21@20160 A22@21120 A23@22080 A24@23040 A25@24000"},
		{name: "a jump past MaxGap resets the anchoring",
			packets: []Packet{pk(0), pk(1), at(2, 2*f20+48000*20), at(3, 3*f20+48000*20)},
			want:    "A0@0 A1@960 !A2@1920 A3@2880"},
		{name: "a loss longer than MaxGap is not filled: a reset", packets: append(seqs(0), seqs(600, 601, 602, 603, 604, 605)...),
			want: "A0@0 !A600@960 A601@1920 A602@2880 A603@3840 A604@4800 A605@5760"},
		{name: "a stray far packet is dropped", packets: seqs(0, 1, 40000, 2, 3),
			want: "A0@0 A1@960 A2@1920 A3@2880", outcomes: []Outcome{InOrder, InOrder, Probation, InOrder, InOrder}},
		{name: "a restarted stream resets where the audio ended",
			packets:  []Packet{pk(0), pk(1), at(30000, 123456), at(30001, 123456+f20), at(30002, 123456+2*f20)},
			want:     "A0@0 A1@960 !A30000@1920 A30001@2880 A30002@3840",
			outcomes: []Outcome{InOrder, InOrder, Probation, InOrder, InOrder}},
		{name: "a late packet far behind is not a restart", packets: seqs(200, 201, 50, 202),
			want: "A200@0 A201@960 A202@1920", outcomes: []Outcome{InOrder, InOrder, Probation, InOrder}},
		{name: "MaxHeld bounds the wait for tiny packets", cfg: Config{MaxHeld: 3},
			packets: []Packet{tiny(0), tiny(2), tiny(3), tiny(4), tiny(5)},
			want:    "A0@0 L@120+120<2 A2@240 A3@360 A4@480 A5@600"},
		{name: "unknown lengths take the last known",
			packets: []Packet{{Seq: 0, Timestamp: 0, Duration: 480}, {Seq: 1, Timestamp: 480}, {Seq: 3, Timestamp: 1440}}, flush: true,
			want: "A0@0 A1@480 L@960+480 A3@1440"},
		{name: "overlapping timestamps keep the sender's positions",
			packets: []Packet{pk(0), at(1, 500), at(2, 1460)},
			want:    "A0@0 A1@500 A2@1460"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, r := newBuffer(t, tc.cfg)
			for i, p := range tc.packets {
				got := b.Push(p)
				if tc.outcomes != nil && got != tc.outcomes[i] {
					t.Errorf("packet %d (seq %d): outcome %d, want %d", i, p.Seq, got, tc.outcomes[i])
				}
			}
			if tc.flush {
				b.Flush()
			}
			if got := r.String(); got != tc.want {
				t.Errorf("spans\n got %s\nwant %s", got, tc.want)
			}
		})
	}
}

// TestLossAndReorderKeepPositions sends a long stream with 5% loss and 2%
// reordering, as a lossy network does, and checks that every packet that
// was used sits exactly where its timestamp says, and that the spans cover
// the timeline without a gap.
func TestLossAndReorderKeepPositions(t *testing.T) {
	b, r := newBuffer(t, Config{})
	rng := rand.New(rand.NewPCG(1, 2))
	const n = 20000
	var sent []Packet
	last := 0
	for i := range n {
		if i > 0 && rng.Float64() < 0.05 {
			continue
		}
		sent = append(sent, at(uint16(i+60000), uint32(i)*f20+4_000_000_000)) // both wrap
		last = i
	}
	for i := 0; i+1 < len(sent); i++ {
		if rng.Float64() < 0.02 {
			sent[i], sent[i+1] = sent[i+1], sent[i]
		}
	}
	for _, p := range sent {
		b.Push(p)
	}
	b.Flush()
	var end int64
	used := 0
	for _, s := range r.spans {
		if s.Start != end {
			t.Fatalf("span %v starts at %d, the previous ended at %d", s.Kind, s.Start, end)
		}
		end = s.End()
		if s.Kind == Audio {
			used++
			if want := int64(uint16(s.Seq-60000)) * f20; s.Start != want && s.Start != want+65536*f20 {
				t.Fatalf("packet %d at %d, want %d", s.Seq, s.Start, want)
			}
		}
	}
	st := b.Stats()
	t.Logf("%d sent, %d used, stats %+v", len(sent), used, st)
	if used != len(sent) || st.Late != 0 || st.Resets != 0 || st.Lost != int64(last+1-len(sent)) {
		t.Errorf("%d of %d packets used, %d lost of %d, %d late, %d resets", used, len(sent), st.Lost, last+1-len(sent), st.Late, st.Resets)
	}
	if st.Reordered == 0 || st.ConcealedTicks == 0 {
		t.Errorf("nothing reordered or concealed: %+v", st)
	}
}

func TestConfig(t *testing.T) {
	for _, c := range []Config{
		{},
		{ClockRate: 48000, Latency: -time.Millisecond},
		{ClockRate: 48000, MaxConceal: time.Minute},
		{ClockRate: 48000, MaxDropout: 40000},
	} {
		if _, err := New(c, func(Span) {}); !errors.Is(err, ErrBadConfig) {
			t.Errorf("%+v: %v, want ErrBadConfig", c, err)
		}
	}
	if err := (Config{ClockRate: 8000}).Validate(); err != nil {
		t.Errorf("defaults: %v", err)
	}
}
