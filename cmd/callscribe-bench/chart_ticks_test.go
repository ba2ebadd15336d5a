package main

import (
	"math"
	"slices"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

func labels(ticks []plot.Tick) []string {
	var out []string
	for _, t := range ticks {
		if !t.IsMinor() {
			out = append(out, t.Label)
		}
	}
	return out
}

func TestLogTicks(t *testing.T) {
	ticks := logTicks{}.Ticks(math.Log10(0.5), math.Log10(50))
	if got, want := labels(ticks), []string{"0.5", "1", "2", "3", "5", "10", "20", "30", "50"}; !slices.Equal(got, want) {
		t.Errorf("labels %q, want %q", got, want)
	}
	for _, tk := range ticks {
		if tk.Value < math.Log10(0.5)-1e-9 || tk.Value > math.Log10(50)+1e-9 {
			t.Errorf("tick %v outside the range", tk)
		}
	}
	for _, c := range []struct{ in, floor, ceil float64 }{{0.71, 0.5, 1}, {5.3, 5, 10}, {1.5, 1, 2}, {31, 30, 50}, {2, 2, 2}} {
		if f, cl := math.Pow(10, logFloor(math.Log10(c.in))), math.Pow(10, logCeil(math.Log10(c.in))); math.Abs(f-c.floor) > 1e-9 || math.Abs(cl-c.ceil) > 1e-9 {
			t.Errorf("%v rounds to %v and %v, want %v and %v", c.in, f, cl, c.floor, c.ceil)
		}
	}
}

func TestLinearTicks(t *testing.T) {
	for _, c := range []struct {
		lo, hi float64
		want   []string
	}{{0, 6.5, []string{"0", "2", "4", "6"}}, {0, 59, []string{"0", "20", "40"}}, {0, 0.7, []string{"0.0", "0.2", "0.4", "0.6"}}} {
		if got := labels(linearTicks{}.Ticks(c.lo, c.hi)); !slices.Equal(got, c.want) {
			t.Errorf("%v..%v: labels %q, want %q", c.lo, c.hi, got, c.want)
		}
	}
}

func TestNiceStep(t *testing.T) {
	for _, c := range []struct{ in, want float64 }{{0.3, 0.5}, {1, 1}, {1.2, 2}, {3, 5}, {7, 10}, {0, 0}, {math.NaN(), 0}} {
		if got := niceStep(c.in); got != c.want {
			t.Errorf("niceStep(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestCrossings(t *testing.T) {
	id := func(v float64) vg.Length { return vg.Length(v) }
	r := vg.Rectangle{Min: vg.Point{X: 0, Y: 10}, Max: vg.Point{X: 40, Y: 20}}
	series := []plotter.XYs{
		{{X: 0, Y: 0}, {X: 50, Y: 30}},   // climbs through r
		{{X: 0, Y: 5}, {X: 50, Y: 5}},    // runs below it
		{{X: 60, Y: 15}, {X: 90, Y: 15}}, // right of it
	}
	if n := crossings(r, series, id, id); n != 1 {
		t.Errorf("crossings = %d, want 1", n)
	}
}
