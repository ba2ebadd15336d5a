package rtpaudio

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/callscribe/callscribe/bridge/timeline"
)

// opusPacket is packet seq of a 20 ms Opus stream, arriving in real time
// after start.
func opusPacket(seq int, start time.Duration) Packet {
	return Packet{Seq: uint16(seq), Timestamp: uint32(seq) * 960, Payload: []byte{byte(seq)},
		At: start + time.Duration(seq)*20*time.Millisecond}
}

func newOpusTrack(t *testing.T, s *sink) (*Track, *fakeOpus) {
	t.Helper()
	dec := &fakeOpus{}
	tr, err := New(Config{ClockRate: OpusClockRate, Duration: func([]byte) int { return 960 }}, dec, s)
	if err != nil {
		t.Fatal(err)
	}
	return tr, dec
}

// TestLossReorderKeepCallTime: with packets lost and reordered, every
// sample still lands at its RTP time: the track's audio is one contiguous
// run from its first packet's arrival to the last packet's end.
func TestLossReorderKeepCallTime(t *testing.T) {
	s := &sink{}
	tr, dec := newOpusTrack(t, s)
	start := 1500 * time.Millisecond // the call's other track began 1.5 s earlier
	rng := rand.New(rand.NewPCG(7, 7))
	var ps []Packet
	for i := range 500 { // 10 s
		if i > 0 && rng.Float64() < 0.05 {
			continue
		}
		ps = append(ps, opusPacket(i, start))
	}
	for i := 0; i+1 < len(ps); i++ {
		if rng.Float64() < 0.02 {
			ps[i], ps[i+1] = ps[i+1], ps[i]
		}
	}
	for _, p := range ps {
		if err := tr.Push(p); err != nil {
			t.Fatal(err)
		}
	}
	if err := tr.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	// 16 kHz: the first packet at 1.5 s, 500 packets of 20 ms after it.
	if j := s.jumps(); len(j) != 1 || j[0] != 24000 {
		t.Errorf("audio starts at %v, want one run from 24000", j)
	}
	if got, want := s.end(), int64(24000+500*320); got != want {
		t.Errorf("audio ends at %d, want %d", got, want)
	}
	st := tr.Stats()
	if st.Lost == 0 || st.Reordered == 0 || st.Late != 0 || !dec.closed || !s.closed {
		t.Errorf("stats %+v, decoder closed %v, sink closed %v", st, dec.closed, s.closed)
	}
	if tr.End() != start+10*time.Second {
		t.Errorf("End %v, want %v", tr.End(), start+10*time.Second)
	}
}

// TestConcealment: a lost packet is concealed with the next one's FEC at
// hand, a long loss for 120 ms then silence, a bad payload as lost.
func TestConcealment(t *testing.T) {
	s := &sink{}
	tr, dec := newOpusTrack(t, s)
	for _, seq := range []int{0, 1, 3, 4, 5, 6, 7, 8, 20} {
		p := opusPacket(seq, 0)
		if seq == 5 {
			p.Payload = []byte{0xFF}
		}
		if err := tr.Push(p); err != nil {
			t.Fatal(err)
		}
	}
	tr.Idle()
	want := "D0 D1 C960<3 D3 D4 C960 D6 D7 D8 C5760 D20"
	if got := dec.String(); got != want {
		t.Errorf("decoder calls\n got %s\nwant %s", got, want)
	}
	if got := tr.Stats(); got.BadPayloads != 1 || got.Lost != 12 {
		t.Errorf("stats %+v", got)
	}
	if got, want := s.end(), int64(21*320); got < want-200 || got > want {
		t.Errorf("audio reached %d, want about %d (less the resampler's delay)", got, want)
	}
}

// TestRestartPlacedByArrival: a sender that restarts its stream (new
// sequence numbers and timestamps) after 30 s of nothing is placed where it
// arrives.
func TestRestartPlacedByArrival(t *testing.T) {
	s := &sink{}
	tr, _ := newOpusTrack(t, s)
	for i := range 50 {
		if err := tr.Push(opusPacket(i, 0)); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 50 {
		p := opusPacket(i, 31*time.Second)
		p.Seq += 20000
		p.Timestamp += 1 << 30
		if err := tr.Push(p); err != nil {
			t.Fatal(err)
		}
	}
	if err := tr.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	j := s.jumps()
	if len(j) != 2 || j[1] != 31*16000 {
		t.Errorf("runs start at %v, want 0 and %d", j, 31*16000)
	}
	if tr.Stats().Jumps != 1 {
		t.Errorf("stats %+v", tr.Stats())
	}
}

// TestFloodRefused: media far faster than real time ends the track.
func TestFloodRefused(t *testing.T) {
	tr, _ := newOpusTrack(t, &sink{})
	var err error
	for i := 0; i < 1000 && err == nil; i++ {
		p := opusPacket(i, 0)
		p.At = 0
		err = tr.Push(p)
	}
	if !errors.Is(err, ErrTooFast) {
		t.Fatalf("10 s of media in no time: %v", err)
	}
	if err2 := tr.Push(opusPacket(1001, 0)); !errors.Is(err2, ErrTooFast) {
		t.Errorf("after the flood: %v", err2)
	}
}

// TestSinkFailure: a sink that fails ends the track with ErrSink.
func TestSinkFailure(t *testing.T) {
	s := &sink{fail: errors.New("overloaded")}
	tr, _ := newOpusTrack(t, s)
	var err error
	for i := 0; i < 10 && err == nil; i++ {
		err = tr.Push(opusPacket(i, 0))
	}
	if !errors.Is(err, ErrSink) {
		t.Fatalf("%v, want ErrSink", err)
	}
}

// TestG711 runs a PCMU track: 8 kHz packets of 160 bytes, a loss filled
// with silence.
func TestG711(t *testing.T) {
	s := &sink{}
	tr, err := New(Config{ClockRate: 8000, Duration: G711Duration}, NewMulaw(), s)
	if err != nil {
		t.Fatal(err)
	}
	payload := make([]byte, 160)
	for i := range payload {
		payload[i] = 0xFF
	}
	for _, seq := range []int{0, 1, 2, 4, 5, 6, 7, 8, 9, 10} {
		if err := tr.Push(Packet{Seq: uint16(seq), Timestamp: uint32(seq * 160), Payload: payload,
			At: time.Duration(seq) * 20 * time.Millisecond}); err != nil {
			t.Fatal(err)
		}
	}
	if err := tr.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := s.end(); got != 11*320 || len(s.jumps()) != 1 || tr.Stats().Lost != 1 {
		t.Errorf("audio to %d in runs %v, stats %+v", got, s.jumps(), tr.Stats())
	}
	pcm, _ := NewAlaw().Decode(nil, payload)
	if len(pcm) != 160 {
		t.Errorf("A-law: %d samples from 160 bytes", len(pcm))
	}
}

func TestOpusDuration(t *testing.T) {
	for _, tc := range []struct {
		packet []byte
		want   int
	}{
		{nil, 0},
		{[]byte{0x08 << 3}, 480},           // SILK WB 10 ms
		{[]byte{9 << 3}, 960},              // SILK WB 20 ms
		{[]byte{11 << 3}, 2880},            // SILK WB 60 ms
		{[]byte{11<<3 | 1}, 5760},          // two 60 ms frames
		{[]byte{15 << 3}, 960},             // hybrid FB 20 ms
		{[]byte{28 << 3}, 120},             // CELT FB 2.5 ms
		{[]byte{31<<3 | 2}, 1920},          // two 20 ms CELT frames
		{[]byte{31<<3 | 3, 3}, 2880},       // code 3, three frames
		{[]byte{31<<3 | 3}, 0},             // code 3 without its count
		{[]byte{11<<3 | 3, 0x03}, 0},       // 180 ms: too long
		{[]byte{16<<3 | 3, 0x3F}, 0},       // 63 frames of 2.5 ms: too long
		{[]byte{16<<3 | 3, 0x80 | 4}, 480}, // VBR flag ignored
	} {
		if got := OpusDuration(tc.packet); got != tc.want {
			t.Errorf("OpusDuration(%x) = %d, want %d", tc.packet, got, tc.want)
		}
	}
}

func TestConfig(t *testing.T) {
	for _, cfg := range []Config{{}, {ClockRate: 100}, {ClockRate: 8000, RateGuard: timeline.RateGuardConfig{Speed: -1}}} {
		if _, err := New(cfg, NewMulaw(), &sink{}); !errors.Is(err, ErrBadConfig) {
			t.Errorf("%+v: %v", cfg, err)
		}
	}
}
