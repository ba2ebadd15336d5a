package adapt

import (
	"errors"
	"testing"
	"time"

	"github.com/callscribe/callscribe/transcribe"
)

func newPolicy(t *testing.T, cfg Config) *Policy {
	t.Helper()
	p, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// pool is a two-worker, two-core pool at utilisation u, its cores its
// own.
func pool(u float64) transcribe.Load {
	return transcribe.Load{Workers: 2, Cores: 2, Utilisation: u, CPUShare: 1}
}

func busy(l transcribe.Load, finals, partials int) transcribe.Load {
	l.Busy, l.BusyFinals, l.CoresBusy = finals+partials, finals, finals+partials
	return l
}

func TestShedOrder(t *testing.T) {
	ms := time.Millisecond
	cases := []struct {
		name string
		load transcribe.Load
		want Decision
	}{
		{"idle: everything spent, two threads for a lone final",
			pool(0), Decision{Spare, 800 * ms, 5, 2, true}},
		{"a partial running: the final gets one thread",
			busy(pool(0.1), 0, 1), Decision{Spare, 800 * ms, 5, 1, true}},
		{"first, partials stretch",
			busy(pool(0.35), 0, 1), Decision{Stretch, 2600 * ms, 5, 1, true}},
		{"at eight two-track calls on two cores, partials stretch far, finals keep their beams",
			busy(pool(0.55), 0, 1), Decision{Stretch, 6200 * ms, 5, 1, true}},
		{"then finals go greedy, partials at the slowest",
			busy(pool(0.7), 0, 1), Decision{Greedy, 8000 * ms, 1, 1, true}},
		{"a lone final under load still gets the spare cores",
			pool(0.7), Decision{Greedy, 8000 * ms, 1, 2, true}},
		{"then one thread and no speculation",
			pool(0.85), Decision{Single, 8000 * ms, 1, 1, false}},
		{"a final waiting sheds everything, whatever the average",
			transcribe.Load{Workers: 2, Cores: 2, Busy: 2, BusyFinals: 2, CoresBusy: 2, QueuedFinals: 1}, Decision{Single, 8000 * ms, 1, 1, false}},
		{"with room, speculation while a worker is free of finals",
			busy(pool(0.1), 1, 0), Decision{Spare, 800 * ms, 5, 1, true}},
		{"no speculation with every worker on finals",
			busy(pool(0.1), 2, 0), Decision{Spare, 800 * ms, 5, 1, false}},
		{"partials stretching: no speculation with half the workers on finals",
			busy(pool(0.3), 1, 0), Decision{Stretch, 1700 * ms, 5, 1, false}},
		{"another track speculating under load: no second speculation",
			transcribe.Load{Workers: 2, Cores: 2, Busy: 1, BusySpeculative: 1, CoresBusy: 1, Utilisation: 0.3, CPUShare: 1}, Decision{Stretch, 1700 * ms, 5, 1, false}},
		{"one core: a lone final keeps to it",
			transcribe.Load{Workers: 1, Cores: 1, CPUShare: 1}, Decision{Spare, 800 * ms, 5, 1, true}},
		{"cores other processes share: one thread",
			transcribe.Load{Workers: 2, Cores: 2, CPUShare: 0.6}, Decision{Spare, 800 * ms, 5, 1, true}},
	}
	p := newPolicy(t, Config{})
	for _, c := range cases {
		if got := p.Decide(c.load); got != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
}

func TestShedStepsNeverGoBackAsLoadRises(t *testing.T) {
	p := newPolicy(t, Config{})
	prev := p.Decide(pool(0))
	for u := 0.0; u <= 1; u += 0.01 {
		d := p.Decide(busy(pool(u), 0, 1))
		if d.Step < prev.Step || d.PartialInterval < prev.PartialInterval || d.FinalBeamSize > prev.FinalBeamSize ||
			d.FinalThreads > prev.FinalThreads || (d.Speculate && !prev.Speculate) {
			t.Fatalf("at utilisation %.2f: %+v spends more than %+v did below it", u, d, prev)
		}
		// The order: partials stretch before finals go greedy, finals go
		// greedy before speculation stops.
		if d.FinalBeamSize == 1 && d.PartialInterval != p.Config().SlowPartials {
			t.Fatalf("at %.2f finals are greedy while partials still come every %v", u, d.PartialInterval)
		}
		if !d.Speculate && d.FinalBeamSize != 1 {
			t.Fatalf("at %.2f speculation stopped before finals went greedy", u)
		}
		prev = d
	}
	if prev.Step != Single {
		t.Errorf("full load ends at %v", prev.Step)
	}
}

func TestPinnedSettingsHoldAtEveryLoad(t *testing.T) {
	p := newPolicy(t, Config{BeamSize: 3, Threads: 2, PartialInterval: time.Second})
	for _, l := range []transcribe.Load{pool(0), pool(0.5), pool(1), {Workers: 2, Cores: 2, QueuedFinals: 4}} {
		d := p.Decide(l)
		if d.FinalBeamSize != 3 || d.FinalThreads != 2 || d.PartialInterval != time.Second {
			t.Errorf("load %+v: %+v, want the pinned beam 3, 2 threads, 1 s", l, d)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	for _, c := range []Config{
		{BeamSize: -1},
		{FastPartials: 2 * time.Second, SlowPartials: time.Second},
		{StretchFrom: 0.5, GreedyFrom: 0.4},
		{MinCPUShare: 2},
		{SingleFrom: 1.5},
	} {
		if _, err := New(c); !errors.Is(err, ErrBadConfig) {
			t.Errorf("%+v: err %v, want ErrBadConfig", c, err)
		}
	}
	if err := (Config{}).Validate(); err != nil {
		t.Errorf("defaults: %v", err)
	}
	if Spare.String() != "spare" || Single.String() != "single" || Step(9).String() != "Step(9)" {
		t.Error("step names")
	}
}

func TestSizingTracks(t *testing.T) {
	var s Sizing
	// tiny.en on this project's machine: a greedy decode costs about 0.08
	// CPU-s per second of speech. A track then costs 0.5 x 0.08 x 2 +
	// 0.007 = 0.087 CPU-s/s, and two cores at 85% carry 19 tracks.
	if got := s.Tracks(0.08, 2); got != 19 {
		t.Errorf("tiny.en on 2 cores: %d tracks, want 19", got)
	}
	// A model twice as dear carries about half as many.
	if got := s.Tracks(0.16, 2); got != 10 {
		t.Errorf("twice the cost: %d tracks, want 10", got)
	}
	if got := s.Tracks(0.08, 8); got != 78 {
		t.Errorf("8 cores: %d tracks, want 78", got)
	}
	if got := s.Tracks(100, 1); got != 1 {
		t.Errorf("a hopeless engine still takes %d tracks, want 1", got)
	}
	if err := (Sizing{SpeechShare: 2}).Validate(); !errors.Is(err, ErrBadConfig) {
		t.Errorf("share 2: %v", err)
	}
	if err := (Sizing{Overhead: 0.5}).Validate(); !errors.Is(err, ErrBadConfig) {
		t.Errorf("overhead 0.5: %v", err)
	}
}
