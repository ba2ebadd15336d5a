package main

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// percentile is one latency percentile of a run's finals and its line:
// for one curve its colour, width and dot; when several curves share the
// panel and the colour is the curve's, its dashes.
type percentile struct {
	name   string
	of     func(Percentiles) float64
	colour color.Color
	width  vg.Length
	dot    vg.Length
	dash   []vg.Length
}

// percentiles run from the top line down, as the legend lists them. p99
// is drawn first, wide and pale, so that where p95 equals it, as it does
// over a few dozen finals, both stay in sight without the tail drawing
// the eye from p95, which the rule judges.
var percentiles = []percentile{
	{"p99", func(p Percentiles) float64 { return p.P99 }, tailPurple, vg.Points(3.5), vg.Points(4), []vg.Length{vg.Points(1.5), vg.Points(2.5)}},
	{"p95", func(p Percentiles) float64 { return p.P95 }, palette[1], vg.Points(1.75), vg.Points(2.75), nil},
	{"p50", func(p Percentiles) float64 { return p.P50 }, palette[0], vg.Points(1.75), vg.Points(2.75), []vg.Length{vg.Points(6), vg.Points(3)}},
}

// tracks are the WER series of one curve: both tracks, then each.
var tracks = []struct{ key, name string }{
	{"all", "both tracks"}, {caller, "caller (inbound)"}, {agent, "agent (outbound)"},
}

// latencyS is a run's final latency percentile in seconds, the worse of
// the server's and the client's measure as Rule.P95 takes it (peers report
// only the client's); NaN when the run has no finals, so that it is left
// out rather than drawn as zero.
func latencyS(f Figures, p percentile) float64 {
	if f.FinalServerMS.Count == 0 && f.FinalClientMS.Count == 0 {
		return math.NaN()
	}
	return math.Max(p.of(f.FinalServerMS), p.of(f.FinalClientMS)) / 1000
}

// werPct is a run's WER of track in percent, NaN when it was not scored.
func werPct(f Figures, track string) float64 {
	w, ok := f.WER[track]
	if !ok {
		return math.NaN()
	}
	return 100 * w.WER
}

// latencyPanel plots each curve's percentiles with the first curve's p95
// bound. The axis is logarithmic, so that a peer at 30 s and callscribe
// under 1 s share it legibly: it carries log10 of the seconds on a linear
// scale (gonum/plot's LogScale centres the axis title on the arithmetic
// mean, far off the axis's middle), and logTicks labels it in seconds.
func latencyPanel(curves []Curve) (panel, error) {
	pn := newPanel("final latency, s (log scale)", curves)
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, c := range curves {
		for _, pc := range percentiles {
			line, dot := draw.LineStyle{Color: pc.colour, Width: pc.width}, pc.dot
			if len(curves) > 1 {
				// p95, what the rule judges, stands out.
				line, dot = draw.LineStyle{Color: seriesColour(i), Width: vg.Points(1.25), Dashes: pc.dash}, 0
				if pc.name == "p95" {
					line.Width, dot = vg.Points(1.75), vg.Points(2.75)
				}
			}
			xys := points(c.Report.Runs, func(f Figures) float64 { return math.Log10(latencyS(f, pc)) })
			thumbs, err := pn.add(xys, line, dot)
			if err != nil {
				return pn, fmt.Errorf("%s %s: %w", c.Name, pc.name, err)
			}
			switch {
			case thumbs == nil:
			case len(curves) == 1:
				pn.key.Add(pc.name, thumbs...)
			case pc.name == "p95":
				pn.key.Add(c.Name, thumbs...)
			}
			for _, xy := range xys {
				lo, hi = math.Min(lo, xy.Y), math.Max(hi, xy.Y)
			}
		}
	}
	if len(curves) > 1 {
		for _, pc := range percentiles {
			pn.key.Add(pc.name, &plotter.Line{LineStyle: draw.LineStyle{Color: chartGrey, Width: vg.Points(1.5), Dashes: pc.dash}})
		}
	}
	if bound := curves[0].Report.Rule.MaxP95MS / 1000; bound > 0 {
		label := "p95 bound " + trimFloat(bound) + " s"
		if err := pn.addBound(math.Log10(bound), label, "p95 bound"); err != nil {
			return pn, err
		}
		lo, hi = math.Min(lo, math.Log10(bound)), math.Max(hi, math.Log10(bound))
	}
	if math.IsInf(lo, 0) {
		lo, hi = -1, 1
	}
	pn.plot.Y.Tick.Marker = logTicks{}
	pn.plot.Y.Min, pn.plot.Y.Max = logFloor(lo-0.05), logCeil(hi+0.05)
	return pn, nil
}

// werPanel plots each track's WER for one curve, or both tracks' WER per
// curve for several, with the first curve's allowance.
func werPanel(curves []Curve) (panel, error) {
	pn := newPanel("WER, %", curves)
	shown := tracks
	if len(curves) > 1 {
		shown = tracks[:1]
	}
	for i, c := range curves {
		for j, t := range shown {
			col := seriesColour(3 + j) // after the percentiles' colours
			name := t.name
			if len(curves) > 1 {
				col, name = seriesColour(i), c.Name
			}
			xys := points(c.Report.Runs, func(f Figures) float64 { return werPct(f, t.key) })
			thumbs, err := pn.add(xys, draw.LineStyle{Color: col, Width: vg.Points(1.75)}, vg.Points(2.75))
			if err != nil {
				return pn, fmt.Errorf("%s %s: %w", c.Name, t.key, err)
			}
			if thumbs != nil {
				pn.key.Add(name, thumbs...)
			}
		}
	}
	first := curves[0].Report
	for _, v := range first.Runs {
		if w, ok := v.WER["all"]; ok && v.N == 1 && first.Rule.MaxWERDelta > 0 {
			allowed := 100 * (w.WER + first.Rule.MaxWERDelta)
			label := fmt.Sprintf("allowance %.1f%%: N=1 + %s pt", allowed, trimFloat(100*first.Rule.MaxWERDelta))
			if len(curves) > 1 {
				label = curves[0].Name + " " + label
			}
			if err := pn.addBound(allowed, label, "WER allowance"); err != nil {
				return pn, err
			}
		}
	}
	pn.plot.Y.Tick.Marker = linearTicks{}
	pn.plot.Y.Min, pn.plot.Y.Max = 0, math.Max(pn.plot.Y.Max*1.08, 1)
	return pn, nil
}
