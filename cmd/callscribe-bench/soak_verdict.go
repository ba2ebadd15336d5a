package main

import (
	"fmt"
	"math"
)

// Idle is the server's state with no call, before the soak and after the
// last call ended and the settle time passed.
type Idle struct {
	StartGoroutines int     `json:"start_goroutines"`
	StartRSSMiB     float64 `json:"start_rss_mib"`
	EndGoroutines   int     `json:"end_goroutines"`
	EndRSSMiB       float64 `json:"end_rss_mib"`
	EndTracks       int     `json:"end_tracks"`
	EndLiveCalls    int     `json:"end_live_calls"`
	// Seen is false when the server could not be read at the start or
	// the end.
	Seen bool `json:"seen"`
	// SettleSec is how long after the last call the end was read.
	SettleSec float64 `json:"settle_sec"`
}

// Tally counts a soak's calls and finals.
type Tally struct {
	Started   int `json:"started"`
	Completed int `json:"completed"` // ended as planned: not refused, no error
	Clean     int `json:"clean"`
	Dropped   int `json:"dropped"`
	Resumed   int `json:"resumed"`
	Refused   int `json:"refused"`
	Errors    int `json:"errors"`
	// Finals received on the bench's sockets, finals the ground truth
	// expects there (see expectedTruth), and expected ones not received.
	FinalsReceived int      `json:"finals_received"`
	FinalsExpected int      `json:"finals_expected"`
	FinalsMissing  int      `json:"finals_missing"`
	Missing        []string `json:"missing,omitempty"` // "call 12 inbound:LJ001-0002"
}

// SoakVerdict is a soak judged by a FlatRule.
type SoakVerdict struct {
	First WindowStats `json:"first_window"`
	Last  WindowStats `json:"last_window"`
	// Growth from the first window's median to the last's.
	RSSGrowthMiB       float64 `json:"rss_growth_mib"`
	RSSGrowthPct       float64 `json:"rss_growth_pct"`
	GoroutineGrowth    float64 `json:"goroutine_growth"`
	GoroutineGrowthPct float64 `json:"goroutine_growth_pct"`
	// Least-squares slopes over the load after the warm-up, per hour.
	RSSSlopeMiBPerHour    float64  `json:"rss_slope_mib_per_hour"`
	GoroutineSlopePerHour float64  `json:"goroutine_slope_per_hour"`
	Pass                  bool     `json:"pass"`
	Why                   []string `json:"why,omitempty"`
}

// Judge applies rule to a soak's samples, its idle start and end, and its
// calls. Besides flatness it fails a soak that refused a call (a slot the
// server never freed shows up as refusals first) or completed none, and
// one whose windows hold too few samples to say anything.
func Judge(samples []Sample, w Windows, idle Idle, calls Tally, rule FlatRule) SoakVerdict {
	v := SoakVerdict{}
	firstFrom, firstTo := w.first()
	lastFrom, lastTo := w.last()
	v.First, v.Last = window(samples, firstFrom, firstTo), window(samples, lastFrom, lastTo)
	v.RSSGrowthMiB = v.Last.RSSMiB - v.First.RSSMiB
	v.RSSGrowthPct = 100 * v.RSSGrowthMiB / v.First.RSSMiB
	v.GoroutineGrowth = v.Last.Goroutines - v.First.Goroutines
	v.GoroutineGrowthPct = 100 * v.GoroutineGrowth / v.First.Goroutines
	v.RSSSlopeMiBPerHour = slopePerHour(samples, firstFrom, w.End, func(s Sample) float64 { return s.RSSMiB })
	v.GoroutineSlopePerHour = slopePerHour(samples, firstFrom, w.End, func(s Sample) float64 { return float64(s.Goroutines) })

	why := func(format string, a ...any) { v.Why = append(v.Why, fmt.Sprintf(format, a...)) }
	if lastFrom < firstTo {
		why("the windows overlap: %.0f s of load is too short for a %.0f s warm-up and two %.0f s windows", w.End, w.Warmup, w.Length)
	}
	if v.First.Samples < rule.MinSamples || v.Last.Samples < rule.MinSamples {
		why("too few samples to judge: %d in the first window, %d in the last, want %d", v.First.Samples, v.Last.Samples, rule.MinSamples)
	} else {
		if a := allowance(v.First.RSSMiB, rule.RSSGrowthPct, rule.RSSGrowthMiB); v.RSSGrowthMiB > a {
			v.Why = append(v.Why, growth("RSS", v.First.RSSMiB, v.Last.RSSMiB, a, " MiB"))
		}
		if a := allowance(v.First.Goroutines, rule.GoroutineGrowthPct, rule.GoroutineGrowth); v.GoroutineGrowth > a {
			v.Why = append(v.Why, growth("goroutines", v.First.Goroutines, v.Last.Goroutines, a, ""))
		}
	}
	switch {
	case !idle.Seen:
		why("the server's idle state could not be read at the start or the end")
	case idle.EndGoroutines > idle.StartGoroutines+rule.IdleGoroutines:
		why("idle goroutines did not come back: %d at the start, %d after the last call (allowed %d more)",
			idle.StartGoroutines, idle.EndGoroutines, rule.IdleGoroutines)
	}
	if idle.Seen && (idle.EndTracks > 0 || idle.EndLiveCalls > 0) {
		why("after the last call the server still had %d tracks and %d live calls open", idle.EndTracks, idle.EndLiveCalls)
	}
	if calls.Refused > 0 {
		why("%d calls refused", calls.Refused)
	}
	if calls.Completed == 0 {
		why("no call completed")
	}
	v.Pass = len(v.Why) == 0
	// JSON has no NaN: an empty window or an undefined slope reads 0,
	// and the window's sample count says which.
	for _, x := range []*float64{&v.First.RSSMiB, &v.First.Goroutines, &v.Last.RSSMiB, &v.Last.Goroutines,
		&v.RSSGrowthMiB, &v.RSSGrowthPct, &v.GoroutineGrowth, &v.GoroutineGrowthPct,
		&v.RSSSlopeMiBPerHour, &v.GoroutineSlopePerHour} {
		if math.IsNaN(*x) || math.IsInf(*x, 0) {
			*x = 0
		}
	}
	return v
}

// tally counts the calls and finals of a soak and gathers the server's
// final latencies.
func tally(calls []SoakCall) (Tally, []float64) {
	var t Tally
	var server []float64
	for _, c := range calls {
		t.Started++
		switch {
		case c.Refused:
			t.Refused++
			continue
		case c.Error != "":
			t.Errors++
		default:
			t.Completed++
		}
		switch c.Kind {
		case "dropped":
			t.Dropped++
		case "resumed":
			t.Resumed++
		default:
			t.Clean++
		}
		t.FinalsReceived += c.Finals
		t.FinalsExpected += c.Expected
		t.FinalsMissing += len(c.Missing)
		for _, m := range c.Missing {
			t.Missing = append(t.Missing, fmt.Sprintf("call %d %s", c.Index, m))
		}
		server = append(server, c.ServerFinalMS...)
	}
	return t, server
}
