package main

import (
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/plot"
)

// logMultiples are the multiples of each power of ten a log axis labels.
var logMultiples = []float64{1, 2, 3, 5}

// logTicks marks an axis that carries log10 of its values: labelled at
// logMultiples of each power of ten, unlabelled at the other whole
// multiples.
type logTicks struct{}

// Ticks returns the ticks between lo and hi, both log10 of a value.
func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	var ticks []plot.Tick
	for e := int(math.Floor(lo)); e <= int(math.Ceil(hi)); e++ {
		for m := 1.0; m <= 9; m++ {
			v := m * math.Pow10(e)
			if lv := math.Log10(v); lv >= lo-1e-9 && lv <= hi+1e-9 {
				t := plot.Tick{Value: lv}
				if slices.Contains(logMultiples, m) {
					t.Label = strconv.FormatFloat(v, 'f', max(0, -e), 64)
				}
				ticks = append(ticks, t)
			}
		}
	}
	return ticks
}

// logFloor and logCeil round log10 x down and up to a labelled tick of
// logTicks, so that a log axis ends on numbers.
func logFloor(x float64) float64 {
	e := math.Floor(x)
	best := e
	for _, m := range logMultiples {
		if lv := e + math.Log10(m); lv <= x {
			best = lv
		}
	}
	return best
}

func logCeil(x float64) float64 {
	e := math.Floor(x)
	for _, m := range logMultiples {
		if lv := e + math.Log10(m); lv >= x {
			return lv
		}
	}
	return e + 1
}

// linearTicks labels a linear axis every 1, 2 or 5 times a power of ten,
// about five times over its range.
type linearTicks struct{}

// Ticks returns the ticks between lo and hi.
func (linearTicks) Ticks(lo, hi float64) []plot.Tick {
	step := niceStep((hi - lo) / 5)
	if step <= 0 {
		return nil
	}
	decimals := max(0, -int(math.Floor(math.Log10(step))))
	var ticks []plot.Tick
	for i := math.Ceil(lo/step - 1e-9); i*step <= hi+step*1e-9; i++ {
		v := i * step
		if v == 0 {
			v = 0 // not -0, which would be labelled "-0"
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', decimals, 64)})
	}
	return ticks
}

// niceStep rounds x up to 1, 2 or 5 times a power of ten; 0 when x is
// not a positive number.
func niceStep(x float64) float64 {
	if x <= 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	p := math.Pow10(int(math.Floor(math.Log10(x))))
	for _, m := range []float64{1, 2, 5} {
		if m*p >= x*(1-1e-9) {
			return m * p
		}
	}
	return 10 * p
}

// trimFloat writes v with no more digits than it needs.
func trimFloat(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
