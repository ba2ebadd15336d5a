package timeline

import (
	"bytes"
	"errors"
	"slices"
	"testing"
	"time"
)

// push is one frame of a scenario: its timestamp, its length in
// milliseconds (20 unless set) and what Push must say about it. A negative
// timestamp flushes instead.
type push struct {
	ms   int64
	dur  int64
	want Outcome
}

const flush = -1 << 40

func TestTimeline(t *testing.T) {
	const rate = 8000 // 20 ms frames are 160 samples
	tests := []struct {
		name   string
		cfg    Config[int64]
		pushes []push
		layout string
		stats  Stats
		held   int
	}{{
		name:   "in order",
		pushes: []push{{0, 0, InOrder}, {20, 0, InOrder}, {40, 0, InOrder}},
		layout: "0-480",
		stats:  Stats{Frames: 3, AudioSamples: 480},
	}, {
		name: "gap filled once the window passes",
		// 20 is lost; five frames (100 ms) wait behind it, then
		// it is given up on.
		pushes: []push{{0, 0, InOrder}, {40, 0, InOrder}, {60, 0, InOrder}, {80, 0, InOrder}, {100, 0, InOrder}, {120, 0, InOrder}},
		layout: "0-160 ~160-320 320-1120",
		stats:  Stats{Frames: 6, AudioSamples: 960, Gaps: 1, GapSamples: 160, MaxHeld: 5},
	}, {
		name:   "gap held while the window is open",
		pushes: []push{{0, 0, InOrder}, {40, 0, InOrder}, {60, 0, InOrder}},
		layout: "0-160",
		stats:  Stats{Frames: 3, AudioSamples: 160, MaxHeld: 2},
		held:   2,
	}, {
		name:   "duplicate of released audio",
		pushes: []push{{0, 0, InOrder}, {20, 0, InOrder}, {20, 0, Duplicate}, {0, 0, Duplicate}},
		layout: "0-320",
		stats:  Stats{Frames: 4, Duplicates: 2, AudioSamples: 320},
	}, {
		name:   "duplicate of a held frame",
		pushes: []push{{0, 0, InOrder}, {40, 0, InOrder}, {40, 0, Duplicate}, {50, 0, Duplicate}, {20, 0, Reordered}},
		layout: "0-480",
		stats:  Stats{Frames: 5, Duplicates: 2, Reordered: 1, AudioSamples: 480, MaxHeld: 1},
	}, {
		name:   "reordered within the window",
		pushes: []push{{0, 0, InOrder}, {40, 0, InOrder}, {60, 0, InOrder}, {20, 0, Reordered}, {80, 0, InOrder}},
		layout: "0-800",
		stats:  Stats{Frames: 5, Reordered: 1, AudioSamples: 800, MaxHeld: 2},
	}, {
		name: "beyond the window is late",
		pushes: []push{{0, 0, InOrder}, {40, 0, InOrder}, {60, 0, InOrder}, {80, 0, InOrder}, {100, 0, InOrder}, {120, 0, InOrder},
			{20, 0, Late}},
		layout: "0-160 ~160-320 320-1120",
		stats:  Stats{Frames: 7, Late: 1, AudioSamples: 960, Gaps: 1, GapSamples: 160, MaxHeld: 5},
	}, {
		name: "big jump forward fills up to MaxGap",
		// 60 s ahead: 10 s of silence, the rest skipped.
		pushes: []push{{0, 0, InOrder}, {60000, 0, InOrder}, {60020, 0, InOrder}, {60040, 0, InOrder}, {60060, 0, InOrder}, {60080, 0, InOrder}},
		layout: "0-160 ~160-80160 +399840 480000-480800",
		stats: Stats{Frames: 6, AudioSamples: 960, Gaps: 1, GapSamples: 80000,
			CappedGaps: 1, SkippedSamples: 399840, MaxHeld: 5},
	}, {
		name:   "shorter cap",
		cfg:    Config[int64]{MaxGap: time.Second},
		pushes: []push{{0, 0, InOrder}, {5000, 0, InOrder}, {flush, 0, 0}},
		layout: "0-160 ~160-8160 +31840 40000-40160",
		stats:  Stats{Frames: 2, AudioSamples: 320, Gaps: 1, GapSamples: 8000, CappedGaps: 1, SkippedSamples: 31840, MaxHeld: 1},
	}, {
		name: "far backwards is late",
		// At 2 s, a frame for 0.5 s is beyond what is remembered.
		pushes: append(inOrder(0, 2000, 20), push{500, 0, Late}, push{1980, 0, Duplicate}),
		layout: "0-16000",
		stats:  Stats{Frames: 102, Late: 1, Duplicates: 1, AudioSamples: 16000},
	}, {
		name:   "flush releases what is held",
		pushes: []push{{0, 0, InOrder}, {60, 0, InOrder}, {40, 0, Reordered}, {flush, 0, 0}},
		layout: "0-160 ~160-320 320-640",
		stats:  Stats{Frames: 3, Reordered: 1, AudioSamples: 480, Gaps: 1, GapSamples: 160, MaxHeld: 2},
	}, {
		name:   "stream that does not start at zero",
		pushes: []push{{100, 0, InOrder}, {flush, 0, 0}},
		layout: "~0-800 800-960",
		stats:  Stats{Frames: 1, AudioSamples: 160, Gaps: 1, GapSamples: 800, MaxHeld: 1},
	}, {
		name: "held frame count bound",
		// 1 ms frames: six wait behind the gap before 100 ms of
		// audio could, and MaxHeldFrames gives up at the sixth.
		pushes: []push{{0, 1, InOrder}, {2, 1, InOrder}, {3, 1, InOrder}, {4, 1, InOrder}, {5, 1, InOrder}, {6, 1, InOrder}, {7, 1, InOrder}},
		layout: "0-8 ~8-16 16-64",
		stats:  Stats{Frames: 7, AudioSamples: 56, Gaps: 1, GapSamples: 8, MaxHeld: 6},
	}, {
		name:   "bad frames",
		pushes: []push{{-20, 0, Invalid}, {0, -20, Empty}, {1 << 62, 0, Invalid}, {0, 0, InOrder}},
		layout: "0-160",
		stats:  Stats{Frames: 4, Invalid: 2, Empty: 1, AudioSamples: 160},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rec recorder
			cfg := tt.cfg
			cfg.SampleRate = rate
			tl, err := New(cfg, rec.sink)
			if err != nil {
				t.Fatal(err)
			}
			for i, p := range tt.pushes {
				if p.ms == flush {
					tl.Flush()
					continue
				}
				dur := p.dur
				if dur == 0 {
					dur = 20
				}
				if got := tl.Push(p.ms, frame(rate, p.ms, int(max(dur, 0)*rate/1000))); got != p.want {
					t.Errorf("push %d (%d ms): %v, want %v", i, p.ms, got, p.want)
				}
			}
			if got := rec.layout(); got != tt.layout {
				t.Errorf("layout %q\n  want %q", got, tt.layout)
			}
			if got := tl.Stats(); got != tt.stats {
				t.Errorf("stats %+v\n want %+v", got, tt.stats)
			}
			if tl.Held() != tt.held {
				t.Errorf("held %d, want %d", tl.Held(), tt.held)
			}
			rec.checkPlacement(t, true)
		})
	}
}

// inOrder returns pushes of 20 ms frames from fromMS up to toMS.
func inOrder(fromMS, toMS, stepMS int64) []push {
	var pushes []push
	for ms := fromMS; ms < toMS; ms += stepMS {
		pushes = append(pushes, push{ms, 0, InOrder})
	}
	return pushes
}

// Rates that are not a multiple of 1000 Hz round frame starts to the
// millisecond; frames that continue each other must still come out
// contiguous, without silence or loss.
func TestTimelineOddRates(t *testing.T) {
	tests := []struct {
		rate    int
		frameMS int64
		lengths []int // samples per frame, cycling
	}{
		{11025, 10, []int{110, 110, 110, 111}}, // what a careful sender sends
		{22050, 10, []int{221, 220}},           // ends half a sample off either way
		{44100, 20, []int{882}},
		{48000, 7, []int{336}},
	}
	for _, tt := range tests {
		var rec recorder
		tl, err := New(Config[int64]{SampleRate: tt.rate}, rec.sink)
		if err != nil {
			t.Fatal(err)
		}
		var total int64
		for i := range 200 {
			n := tt.lengths[i%len(tt.lengths)]
			if got := tl.Push(int64(i)*tt.frameMS, make([]int64, n)); got != InOrder {
				t.Fatalf("%d Hz frame %d: %v", tt.rate, i, got)
			}
			total += int64(n)
		}
		tl.Flush()
		st := tl.Stats()
		if st.Gaps != 0 || st.TrimmedSamples != 0 || tl.End() != total || len(rec.chunks) != 200 {
			t.Errorf("%d Hz: end %d of %d, %d chunks, stats %+v", tt.rate, tl.End(), total, len(rec.chunks), st)
		}
	}
}

func TestTimelineMuLawSilence(t *testing.T) {
	var got []byte
	tl, err := New(Config[byte]{SampleRate: 8000, Silence: 0xFF}, func(c Chunk[byte]) {
		got = append(got, c.Samples...)
	})
	if err != nil {
		t.Fatal(err)
	}
	tl.Push(0, []byte{1, 2})
	tl.Push(2, []byte{3}) // 2 ms is 16 samples: 14 of silence between
	tl.Flush()
	want := slices.Concat([]byte{1, 2}, bytes.Repeat([]byte{0xFF}, 14), []byte{3})
	if !slices.Equal(got, want) {
		t.Errorf("released %v, want %v", got, want)
	}
}

// Frames the timeline had to hold are copies: the caller may reuse its
// buffer as soon as Push returns.
func TestTimelineCopiesHeldFrames(t *testing.T) {
	var rec recorder
	tl, _ := New(Config[int64]{SampleRate: 1000}, rec.sink)
	buf := frame(1000, 10, 10)
	tl.Push(10, buf)
	for i := range buf {
		buf[i] = -1
	}
	tl.Push(0, frame(1000, 0, 10))
	rec.checkPlacement(t, true)
	if rec.layout() != "0-20" {
		t.Errorf("layout %s", rec.layout())
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	for _, cfg := range []Config[float32]{
		{},
		{SampleRate: -8000},
		{SampleRate: 8000, Jitter: -time.Millisecond},
		{SampleRate: 8000, MaxGap: time.Microsecond},
	} {
		if _, err := New(cfg, func(Chunk[float32]) {}); !errors.Is(err, ErrBadConfig) {
			t.Errorf("New(%+v) = %v, want ErrBadConfig", cfg, err)
		}
	}
}

func TestOutcomeString(t *testing.T) {
	for o := InOrder; o <= Empty; o++ {
		if o.String() == "unknown" || o.Kept() != (o == InOrder || o == Reordered) {
			t.Errorf("outcome %d: %q kept %v", o, o, o.Kept())
		}
	}
}
