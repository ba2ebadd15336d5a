package trackfeed

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/callscribe/callscribe/bridge"
)

// sink records where each write landed.
type sink struct {
	writes    []write
	fail      error
	finalized int
	closed    bool
}

type write struct{ pos, n int64 }

func (s *sink) Write(pos int64, samples []float32) error {
	s.writes = append(s.writes, write{pos, int64(len(samples))})
	return s.fail
}
func (s *sink) Finalize() error             { s.finalized++; return nil }
func (s *sink) Close(context.Context) error { s.closed = true; return nil }

func (s *sink) total() int64 {
	var n int64
	for _, w := range s.writes {
		n += w.n
	}
	return n
}

// contiguous reports whether every write starts where the previous ended.
func (s *sink) contiguous(from int) bool {
	for i := from + 1; i < len(s.writes); i++ {
		if s.writes[i].pos != s.writes[i-1].pos+s.writes[i-1].n {
			return false
		}
	}
	return true
}

func TestFeedWritesContiguousCallTime(t *testing.T) {
	for _, rate := range []int{8000, 16000, 44100, 48000} {
		s := &sink{}
		f, err := New(s, rate)
		if err != nil {
			t.Fatal(err)
		}
		frame := make([]float32, rate/50) // 20 ms
		for range 50 {
			if err := f.Write(frame); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.Close(context.Background()); err != nil || !s.closed {
			t.Fatalf("%d Hz: Close = %v, closed %v", rate, err, s.closed)
		}
		// One second in, one second out, every sample in order.
		if s.total() != bridge.SampleRate || !s.contiguous(0) || s.writes[0].pos != 0 {
			t.Errorf("%d Hz: %d samples in %d writes, contiguous %v", rate, s.total(), len(s.writes), s.contiguous(0))
		}
	}
}

// After a gap the Feed does not fill, writes resume at the gap's end in
// call time; what the resampler held is flushed before it.
func TestFeedSkipKeepsCallTime(t *testing.T) {
	s := &sink{}
	f, err := New(s, 8000)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Write(make([]float32, 800)); err != nil { // 0.1 s
		t.Fatal(err)
	}
	if err := f.Skip(8000 * 60); err != nil { // a minute in
		t.Fatal(err)
	}
	before := len(s.writes)
	if s.total() != 1600 || !s.contiguous(0) {
		t.Errorf("before the jump: %d samples, want the 0.1 s flushed (1600)", s.total())
	}
	if err := f.Write(make([]float32, 800)); err != nil {
		t.Fatal(err)
	}
	if got := s.writes[before].pos; got != 16000*60 {
		t.Errorf("after the jump the first write is at %d, want %d", got, 16000*60)
	}
	if f.Position() <= 16000*60 || !s.contiguous(before) {
		t.Errorf("position %d, contiguous %v", f.Position(), s.contiguous(before))
	}
}

func TestFeedStopsWritingAfterTheSinkFails(t *testing.T) {
	full := errors.New("queue full")
	s := &sink{fail: full}
	f, err := New(s, 16000)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Write(make([]float32, 320)); !errors.Is(err, full) {
		t.Fatalf("Write = %v, want the sink's error", err)
	}
	if err := f.Write(make([]float32, 320)); !errors.Is(err, full) || len(s.writes) != 1 {
		t.Errorf("second Write = %v after %d writes, want the same error and no write", err, len(s.writes))
	}
	if err := f.Close(context.Background()); !errors.Is(err, full) || !s.closed {
		t.Errorf("Close = %v, closed %v: the sink is closed and the failure reported", err, s.closed)
	}
}

func TestFeedRefusesRatesTheResamplerCannot(t *testing.T) {
	if _, err := New(&sink{}, 0); err == nil {
		t.Error("a 0 Hz feed was made")
	}
}

func TestScaleSaturates(t *testing.T) {
	if got := scale(math.MaxInt64/2+1, 2, 1); got != math.MaxInt64 {
		t.Errorf("scale overflowed to %d", got)
	}
	if got := scale(441, 160, 441); got != 160 {
		t.Errorf("scale(441, 160, 441) = %d", got)
	}
}
