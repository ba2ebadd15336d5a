package main

import (
	"fmt"
	"io"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// soakChartH is the soak chart's height in pixels: two panels stacked.
const soakChartH = 640

// WriteSoakChart draws the soak's RSS, and its goroutines with the open
// tracks, against minutes, in two panels one above the other, and writes
// the chart as PNG. Each panel marks the medians of the two windows the
// verdict compares, and the RSS panel the most the last window may reach.
func WriteSoakChart(w io.Writer, r SoakReport) error {
	series := func(y func(Sample) float64) plotter.XYs {
		xys := make(plotter.XYs, len(r.Samples))
		for i, s := range r.Samples {
			xys[i] = plotter.XY{X: s.At / 60, Y: y(s)}
		}
		return xys
	}
	v := r.Verdict
	rss := soakPanel("RSS (MiB)")
	goroutines := soakPanel("count")
	steps := []struct {
		pn    *plot.Plot
		name  string
		xys   plotter.XYs
		style draw.LineStyle
	}{
		{rss, "RSS", series(func(s Sample) float64 { return s.RSSMiB }), draw.LineStyle{Color: palette[0], Width: vg.Points(1.5)}},
		{goroutines, "goroutines", series(func(s Sample) float64 { return float64(s.Goroutines) }), draw.LineStyle{Color: palette[1], Width: vg.Points(1.5)}},
		{goroutines, "open tracks", series(func(s Sample) float64 { return float64(s.Tracks) }), draw.LineStyle{Color: palette[3], Width: vg.Points(1)}},
	}
	medianStyle := draw.LineStyle{Color: boundInk, Width: vg.Points(2.5)}
	boundStyle := draw.LineStyle{Color: boundInk, Width: vg.Points(1.25), Dashes: []vg.Length{vg.Points(5), vg.Points(3)}}
	allowed := v.First.RSSMiB + allowance(v.First.RSSMiB, r.Rule.RSSGrowthPct, r.Rule.RSSGrowthMiB)
	marks := []struct {
		pn         *plot.Plot
		name       string
		from, to   float64
		y          float64
		style      draw.LineStyle
		withLegend bool
	}{
		{rss, "window medians", v.First.From, v.First.To, v.First.RSSMiB, medianStyle, true},
		{rss, "", v.Last.From, v.Last.To, v.Last.RSSMiB, medianStyle, false},
		{rss, "most allowed", v.Last.From, v.Last.To, allowed, boundStyle, true},
		{goroutines, "window medians", v.First.From, v.First.To, v.First.Goroutines, medianStyle, true},
		{goroutines, "", v.Last.From, v.Last.To, v.Last.Goroutines, medianStyle, false},
	}
	top := map[*plot.Plot]float64{}
	for _, s := range steps {
		if len(s.xys) == 0 {
			continue
		}
		for _, xy := range s.xys {
			top[s.pn] = max(top[s.pn], xy.Y)
		}
		l, err := plotter.NewLine(s.xys)
		if err != nil {
			return fmt.Errorf("soak chart: %w", err)
		}
		l.LineStyle = s.style
		s.pn.Add(l)
		s.pn.Legend.Add(s.name, l)
	}
	for _, m := range marks {
		if m.to <= m.from {
			continue
		}
		l, err := plotter.NewLine(plotter.XYs{{X: m.from / 60, Y: m.y}, {X: m.to / 60, Y: m.y}})
		if err != nil {
			return fmt.Errorf("soak chart: %w", err)
		}
		l.LineStyle = m.style
		m.pn.Add(l)
		top[m.pn] = max(top[m.pn], m.y)
		if m.withLegend {
			m.pn.Legend.Add(m.name, l)
		}
	}
	// Room above the curves for the legend in the top left corner.
	for pn, y := range top {
		pn.Y.Max = 1.3 * y
	}
	verdict := "pass"
	if !v.Pass {
		verdict = "FAIL"
	}
	rss.Title.Text = fmt.Sprintf("Soak: %d calls at once for %s, %d calls played: %s", r.Calls, secs(r.DurationSec), r.Tally.Started, verdict)
	rss.Title.TextStyle.Font = font.From(plot.DefaultFont, 13)
	img := vgimg.NewWith(vgimg.UseWH(pixels(chartW), pixels(soakChartH)), vgimg.UseDPI(chartDPI))
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: 2, Cols: 1, PadTop: edgeRoom, PadBottom: edgeRoom, PadLeft: edgeRoom, PadRight: edgeRoom, PadY: edgeRoom * 2}
	cells := plot.Align([][]*plot.Plot{{rss}, {goroutines}}, tiles, dc)
	rss.Draw(cells[0][0])
	goroutines.Draw(cells[1][0])
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(w); err != nil {
		return fmt.Errorf("soak chart: writing PNG: %w", err)
	}
	return nil
}

// soakPanel returns an empty panel with minutes on its x axis, a grid,
// and its legend in the top left corner.
func soakPanel(yLabel string) *plot.Plot {
	p := plot.New()
	p.X.Label.Text, p.Y.Label.Text = "minutes", yLabel
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(plot.DefaultFont, 11)
		a.Tick.Label.Font = font.From(plot.DefaultFont, 10)
	}
	p.X.Min, p.Y.Min = 0, 0
	grid := plotter.NewGrid()
	grid.Vertical.Color, grid.Horizontal.Color = gridGrey, gridGrey
	p.Add(grid)
	p.Legend.TextStyle.Font = font.From(plot.DefaultFont, 10)
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.ThumbnailWidth = vg.Points(22)
	p.Legend.Padding = vg.Points(2)
	return p
}
