package main

import (
	"math"
	"strings"
	"testing"
)

// soakWindows are a 30-minute soak's: 5 minutes of warm-up, 5-minute
// windows.
var soakWindows = Windows{Warmup: 300, Length: 300, End: 1800}

// series returns a sample every 10 s over 30 minutes of load, then 2
// minutes of wind-down, with RSS and goroutines from the given functions
// of the minute.
func series(rss func(min float64) float64, goroutines func(min float64) int) []Sample {
	var out []Sample
	for at := 0.0; at < 1920; at += 10 {
		out = append(out, Sample{At: at, RSSMiB: rss(at / 60), Goroutines: goroutines(at / 60), Tracks: 8})
	}
	return out
}

// wobble is deterministic noise of ±amp, like a GC cycle's saw-tooth.
func wobble(min, amp float64) float64 { return amp * math.Sin(min*7.3) * math.Cos(min*2.1) }

// churning goroutines: 20 idle, 8 per call, 3 or 4 calls live.
func churning(min float64) int { return 20 + 8*(3+int(min*3)%2) }

var (
	okIdle    = Idle{StartGoroutines: 20, EndGoroutines: 21, Seen: true}
	okCalls   = Tally{Started: 160, Completed: 160}
	flatRSS   = func(min float64) float64 { return 250 + wobble(min, 6) }
	leakyRSS  = func(min float64) float64 { return 250 + 2*min + wobble(min, 6) } // 2 MiB a minute
	leakyGors = func(min float64) int { return churning(min) + int(min) }         // one a minute
)

func TestJudgeFlatPasses(t *testing.T) {
	v := Judge(series(flatRSS, churning), soakWindows, okIdle, okCalls, DefaultFlatRule)
	if !v.Pass {
		t.Fatalf("a flat soak failed: %v", v.Why)
	}
	if v.First.Samples != 30 || v.Last.Samples != 30 {
		t.Errorf("windows hold %d and %d samples, want 30 each", v.First.Samples, v.Last.Samples)
	}
	if math.Abs(v.RSSSlopeMiBPerHour) > 5 || math.Abs(v.RSSGrowthMiB) > 3 {
		t.Errorf("flat RSS: slope %.1f MiB/h, growth %.1f MiB", v.RSSSlopeMiBPerHour, v.RSSGrowthMiB)
	}
}

func TestJudgeRSSLeakFails(t *testing.T) {
	v := Judge(series(leakyRSS, churning), soakWindows, okIdle, okCalls, DefaultFlatRule)
	if v.Pass || len(v.Why) != 1 || !strings.HasPrefix(v.Why[0], "RSS grew") {
		t.Fatalf("a leaking RSS: pass %v, %v", v.Pass, v.Why)
	}
	// 20 minutes between the windows' middles at 2 MiB a minute.
	if math.Abs(v.RSSGrowthMiB-40) > 4 || math.Abs(v.RSSSlopeMiBPerHour-120) > 5 {
		t.Errorf("growth %.1f MiB, slope %.1f MiB/h; want about 40 and 120", v.RSSGrowthMiB, v.RSSSlopeMiBPerHour)
	}
}

func TestJudgeGoroutineLeakFails(t *testing.T) {
	idle := okIdle
	idle.EndGoroutines = idle.StartGoroutines + 32 // what leaked stays
	v := Judge(series(flatRSS, leakyGors), soakWindows, idle, okCalls, DefaultFlatRule)
	if v.Pass || len(v.Why) != 2 || !strings.HasPrefix(v.Why[0], "goroutines grew") ||
		!strings.HasPrefix(v.Why[1], "idle goroutines did not come back") {
		t.Fatalf("leaking goroutines: pass %v, %v", v.Pass, v.Why)
	}
}

// The allowance is the larger of the share and the absolute amount.
func TestJudgeRSSAllowance(t *testing.T) {
	for _, c := range []struct {
		base, grow float64
		pass       bool
	}{
		{150, 19, true},  // under the 20 MiB floor, though 12.7%
		{150, 25, false}, // over both
		{1000, 60, true}, // 6%: over 20 MiB, under 10%
		{1000, 120, false},
	} {
		rss := func(min float64) float64 {
			if min >= 25 {
				return c.base + c.grow
			}
			return c.base
		}
		if v := Judge(series(rss, churning), soakWindows, okIdle, okCalls, DefaultFlatRule); v.Pass != c.pass {
			t.Errorf("%.0f MiB growing %.0f: pass %v, want %v (%v)", c.base, c.grow, v.Pass, c.pass, v.Why)
		}
	}
}

func TestJudgeFailsWhatFlatnessMisses(t *testing.T) {
	flat := series(flatRSS, churning)
	for name, c := range map[string]struct {
		samples []Sample
		w       Windows
		idle    Idle
		calls   Tally
		why     string
	}{
		"tracks open":   {flat, soakWindows, Idle{StartGoroutines: 20, EndGoroutines: 20, EndTracks: 2, Seen: true}, okCalls, "still had 2 tracks"},
		"not read":      {flat, soakWindows, Idle{}, okCalls, "could not be read"},
		"refusals":      {flat, soakWindows, okIdle, Tally{Started: 10, Completed: 9, Refused: 1}, "1 calls refused"},
		"no call":       {flat, soakWindows, okIdle, Tally{}, "no call completed"},
		"overlap":       {flat[:40], Windows{Warmup: 300, Length: 300, End: 400}, okIdle, okCalls, "windows overlap"},
		"empty windows": {nil, soakWindows, okIdle, okCalls, "too few samples"},
	} {
		v := Judge(c.samples, c.w, c.idle, c.calls, DefaultFlatRule)
		if v.Pass || !strings.Contains(strings.Join(v.Why, "; "), c.why) {
			t.Errorf("%s: pass %v, %v; want a fail saying %q", name, v.Pass, v.Why, c.why)
		}
		for _, x := range []float64{v.First.RSSMiB, v.RSSGrowthPct, v.RSSSlopeMiBPerHour, v.GoroutineGrowthPct} {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				t.Errorf("%s: a figure is %v, which JSON cannot hold", name, x)
			}
		}
	}
}

func TestMedianAndSlope(t *testing.T) {
	xs := []float64{5, 1, 3, 2}
	if m := median(xs); m != 2.5 || xs[0] != 5 {
		t.Errorf("median %v, input now %v", m, xs)
	}
	if m := median(xs[:3]); m != 3 {
		t.Errorf("median of 5 1 3: %v", m)
	}
	if !math.IsNaN(median(nil)) {
		t.Error("median of nothing is a number")
	}
	line := []Sample{{At: 0, RSSMiB: 100}, {At: 1800, RSSMiB: 115}, {At: 3600, RSSMiB: 130}, {At: 7200, RSSMiB: 999}}
	rss := func(s Sample) float64 { return s.RSSMiB }
	if s := slopePerHour(line, 0, 3601, rss); math.Abs(s-30) > 1e-9 {
		t.Errorf("slope %v MiB/h, want 30 (the sample past the end left out)", s)
	}
	if s := slopePerHour(line[:1], 0, 3601, rss); !math.IsNaN(s) {
		t.Errorf("slope of one sample: %v", s)
	}
}
