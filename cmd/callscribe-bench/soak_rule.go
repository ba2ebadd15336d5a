package main

import (
	"fmt"
	"math"
	"slices"
)

// Sample is the server's state at one moment of a soak.
type Sample struct {
	// At is seconds since the soak's first call was due.
	At         float64 `json:"at_sec"`
	RSSMiB     float64 `json:"rss_mib"`
	Goroutines int     `json:"goroutines"`
	// Tracks are the server's open tracks, LiveCalls its calls with a
	// stream open, Calls the calls the bench was playing.
	Tracks    int `json:"tracks"`
	LiveCalls int `json:"live_calls"`
	Calls     int `json:"bench_calls"`
}

// FlatRule says when a soak's RSS and goroutines count as flat: the median
// of the last window may exceed the first window's by at most the larger
// of a share and an absolute amount, and once idle at the end the server
// is back to the goroutines it had idle at the start.
type FlatRule struct {
	RSSGrowthPct       float64 `json:"rss_growth_pct"`
	RSSGrowthMiB       float64 `json:"rss_growth_mib"`
	GoroutineGrowthPct float64 `json:"goroutine_growth_pct"`
	GoroutineGrowth    float64 `json:"goroutine_growth"`
	// IdleGoroutines is how many more goroutines than at the idle start
	// the idle end may have (keep-alive connections come and go).
	IdleGoroutines int `json:"idle_goroutines"`
	// MinSamples is the fewest samples a window needs to be judged.
	MinSamples int `json:"min_samples"`
}

// DefaultFlatRule allows 10% or 20 MiB of RSS growth, 10% or 10
// goroutines (a call holds about 8, and a window's median moves by one
// call with the churn), and 3 goroutines more when idle.
var DefaultFlatRule = FlatRule{
	RSSGrowthPct: 10, RSSGrowthMiB: 20,
	GoroutineGrowthPct: 10, GoroutineGrowth: 10,
	IdleGoroutines: 3, MinSamples: 3,
}

// Windows places the two windows compared: the first starts after the
// warm-up, the last ends when the load ends; all in seconds of a soak.
type Windows struct {
	Warmup float64 `json:"warmup_sec"`
	Length float64 `json:"window_sec"`
	End    float64 `json:"load_end_sec"`
}

// first and last return the windows' bounds, [from, to).
func (w Windows) first() (float64, float64) { return w.Warmup, w.Warmup + w.Length }
func (w Windows) last() (float64, float64)  { return w.End - w.Length, w.End }

// WindowStats are the medians of the samples of one window.
type WindowStats struct {
	From       float64 `json:"from_sec"`
	To         float64 `json:"to_sec"`
	Samples    int     `json:"samples"`
	RSSMiB     float64 `json:"rss_median_mib"`
	Goroutines float64 `json:"goroutines_median"`
}

// window returns the medians of the samples in [from, to).
func window(samples []Sample, from, to float64) WindowStats {
	w := WindowStats{From: from, To: to}
	var rss, g []float64
	for _, s := range samples {
		if s.At >= from && s.At < to {
			rss, g = append(rss, s.RSSMiB), append(g, float64(s.Goroutines))
		}
	}
	w.Samples, w.RSSMiB, w.Goroutines = len(rss), median(rss), median(g)
	return w
}

// median returns the median of xs (NaN for none), leaving xs unchanged.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// slopePerHour returns the least-squares slope of y against the samples'
// times, per hour, over the samples in [from, to); NaN with fewer than two
// distinct times.
func slopePerHour(samples []Sample, from, to float64, y func(Sample) float64) float64 {
	var n, sx, sy, sxx, sxy float64
	for _, s := range samples {
		if s.At < from || s.At >= to {
			continue
		}
		x := s.At / 3600
		n, sx, sy, sxx, sxy = n+1, sx+x, sy+y(s), sxx+x*x, sxy+x*y(s)
	}
	den := n*sxx - sx*sx
	if n < 2 || den <= 0 {
		return math.NaN()
	}
	return (n*sxy - sx*sy) / den
}

// allowance is the larger of pct percent of base and abs.
func allowance(base, pct, abs float64) float64 { return math.Max(base*pct/100, abs) }

// growth formats a window-to-window change for a verdict's reasons.
func growth(what string, first, last, allowed float64, unit string) string {
	return fmt.Sprintf("%s grew %.1f%s (%.1f -> %.1f), more than the %.1f%s allowed",
		what, last-first, unit, first, last, allowed, unit)
}
