package main

import (
	"fmt"
	"math"
	"slices"
)

// Rule is the capacity criterion: a run of N calls passes when no call is
// refused, no expected utterance lacks a final, the 95th percentile of
// final latency (the worse of the server's and the client's measure) is at
// most MaxP95MS, and the WER of both tracks together is at most
// MaxWERDelta above the baseline's (N = 1).
type Rule struct {
	MaxP95MS    float64
	MaxWERDelta float64
}

// P95 returns the final latency percentile the rule judges.
func (Rule) P95(f Figures) float64 { return math.Max(f.FinalServerMS.P95, f.FinalClientMS.P95) }

// Check returns why f fails the rule against baseline, or nothing if it
// passes.
func (r Rule) Check(baseline, f Figures) []string {
	var why []string
	if f.Refused > 0 {
		why = append(why, fmt.Sprintf("%d calls refused", f.Refused))
	}
	if f.FinalsMissing > 0 {
		why = append(why, fmt.Sprintf("%d finals missing", f.FinalsMissing))
	}
	if f.FinalServerMS.Count == 0 && f.FinalClientMS.Count == 0 {
		why = append(why, "no finals")
	} else if p := r.P95(f); p > r.MaxP95MS {
		why = append(why, fmt.Sprintf("p95 final latency %.0f ms > %.0f ms", p, r.MaxP95MS))
	}
	if w, b := f.WER["all"].WER, baseline.WER["all"].WER; w > b+r.MaxWERDelta+1e-9 {
		why = append(why, fmt.Sprintf("WER %.3f > baseline %.3f + %.3f", w, b, r.MaxWERDelta))
	}
	return why
}

// Capacity returns the largest N such that it and every smaller N tried
// passed, or 0 when the smallest failed. passed maps each N tried to its
// verdict.
func Capacity(passed map[int]bool) int {
	ns := make([]int, 0, len(passed))
	for n := range passed {
		ns = append(ns, n)
	}
	slices.Sort(ns)
	best := 0
	for _, n := range ns {
		if !passed[n] {
			break
		}
		best = n
	}
	return best
}

// NextProbe says which N to try after the ladder: the midpoint between the
// capacity found and the first failure above it, when they are more than
// one apart; 0 when the answer is exact.
func NextProbe(passed map[int]bool) int {
	c := Capacity(passed)
	fail := 0
	for n, ok := range passed {
		if !ok && n > c && (fail == 0 || n < fail) {
			fail = n
		}
	}
	if fail == 0 || fail-c <= 1 || c == 0 {
		return 0
	}
	return (c + fail) / 2
}
