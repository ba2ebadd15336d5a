package main

import (
	"strings"
	"testing"
)

func figs(n int, p95 float64, werAll float64) Figures {
	return Figures{N: n,
		FinalServerMS: Percentiles{Count: 10, P95: p95},
		FinalClientMS: Percentiles{Count: 10, P95: p95 - 100},
		WER:           map[string]WERFigure{"all": {WER: werAll, RefWords: 100}},
	}
}

func TestRuleCheck(t *testing.T) {
	r := Rule{MaxP95MS: 1500, MaxWERDelta: 0.01}
	base := figs(1, 1000, 0.05)
	cases := []struct {
		name string
		f    Figures
		want string // a substring of the reasons, "" for a pass
	}{
		{"pass", figs(4, 1500, 0.06), ""},
		{"slow", figs(4, 1501, 0.05), "p95"},
		{"worse", figs(4, 1000, 0.0601), "WER"},
		{"refused", func() Figures { f := figs(4, 1000, 0.05); f.Refused = 1; return f }(), "refused"},
		{"missing", func() Figures { f := figs(4, 1000, 0.05); f.FinalsMissing = 2; return f }(), "missing"},
		{"no finals", func() Figures { f := figs(4, 0, 0.05); f.FinalServerMS.Count, f.FinalClientMS.Count = 0, 0; return f }(), "no finals"},
		{"client slower", func() Figures { f := figs(4, 1000, 0.05); f.FinalClientMS.P95 = 1600; return f }(), "p95"},
	}
	for _, c := range cases {
		why := r.Check(base, c.f)
		got := strings.Join(why, "; ")
		if (c.want == "") != (len(why) == 0) || !strings.Contains(got, c.want) {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

func TestCapacity(t *testing.T) {
	cases := []struct {
		passed map[int]bool
		want   int
		probe  int
	}{
		{map[int]bool{1: true, 2: true, 4: true, 6: false, 8: false}, 4, 5},
		{map[int]bool{1: true, 2: true, 4: false, 6: true}, 2, 3},
		{map[int]bool{1: false, 2: true}, 0, 0},
		{map[int]bool{1: true, 2: true, 4: true, 8: true}, 8, 0},
		{map[int]bool{1: true, 2: true, 3: false}, 2, 0},
		{map[int]bool{1: true, 8: false}, 1, 4},
		{map[int]bool{}, 0, 0},
	}
	for _, c := range cases {
		if got := Capacity(c.passed); got != c.want {
			t.Errorf("Capacity(%v) = %d, want %d", c.passed, got, c.want)
		}
		if got := NextProbe(c.passed); got != c.probe {
			t.Errorf("NextProbe(%v) = %d, want %d", c.passed, got, c.probe)
		}
	}
}

func TestCapacityAt(t *testing.T) {
	r := Rule{MaxP95MS: 1500, MaxWERDelta: 0.01}
	base := figs(1, 1400, 0.05)
	runs := []Verdict{{Figures: base}, {Figures: figs(2, 1800, 0.05)}, {Figures: figs(4, 2500, 0.05)}, {Figures: figs(6, 4000, 0.09)}}
	got := capacityAt(r, base, runs, []float64{1500, 2000, 3000, 5000})
	want := map[string]int{"1.5s": 1, "2.0s": 2, "3.0s": 4, "5.0s": 4} // N=6 fails on WER
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %d, want %d (%v)", k, got[k], v, got)
		}
	}
}
