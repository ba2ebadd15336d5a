package main

import (
	"errors"
	"fmt"
	"image/color"
	"io"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// The chart's size in pixels and the resolution that maps gonum/plot's
// points (1/72 inch) onto them: 96 dpi makes a 10 pt label 13 px high,
// legible in a README at the image's own size.
const (
	chartW, chartH = 1000, 450
	chartDPI       = 96
)

// Room, in points, for the chart's title above the panels and for the
// legend right of each panel. The legends sit outside the data areas so
// they never hide a curve.
const (
	titleRoom  = vg.Length(24)
	headRoom   = vg.Length(20) // for each panel's title
	legendRoom = vg.Length(118)
	edgeRoom   = vg.Length(8)
)

// panelTitles name the latency and the WER panel.
var panelTitles = []string{"Final latency", "Word error rate"}

// Curve is one report as the chart draws it; Name labels its curves in
// the legend when several reports share the chart.
type Curve struct {
	Name   string
	Report Report
}

// WriteChart draws final latency percentiles (p50, p95, p99 in seconds,
// the worse of the server's and the client's measure, as the capacity
// rule judges them) and WER against concurrent calls N, in two panels side
// by side, and writes the chart as PNG. The latency panel carries the
// rule's p95 bound and the WER panel the first curve's allowance (its N=1
// WER plus the rule's delta), both as labelled lines.
//
// With one curve each percentile and each track has its own colour; with
// several each curve has a colour, its percentiles told apart by dashes,
// and the WER panel shows both tracks together.
func WriteChart(w io.Writer, curves []Curve) error {
	if len(curves) == 0 {
		return errors.New("chart: no report to draw")
	}
	lat, err := latencyPanel(curves)
	if err != nil {
		return fmt.Errorf("chart: latency panel: %w", err)
	}
	wer, err := werPanel(curves)
	if err != nil {
		return fmt.Errorf("chart: WER panel: %w", err)
	}
	img := vgimg.NewWith(vgimg.UseWH(pixels(chartW), pixels(chartH)), vgimg.UseDPI(chartDPI))
	dc := draw.New(img)
	dc.FillText(textStyle(13, draw.XCenter), vg.Point{X: dc.Center().X, Y: dc.Max.Y - titleRoom + 6}, chartTitle(curves))
	tiles := draw.Tiles{
		Rows: 1, Cols: 2,
		PadTop: titleRoom + headRoom, PadBottom: edgeRoom, PadLeft: edgeRoom,
		PadX: legendRoom, PadRight: legendRoom,
	}
	cells := plot.Align([][]*plot.Plot{{lat.plot, wer.plot}}, tiles, dc)
	for i, pn := range []panel{lat, wer} {
		cell := cells[0][i]
		pn.plot.Draw(cell)
		// The panel's title goes over its data area rather than its cell
		// (gonum/plot's own), so that both titles line up whatever room
		// their y axes' tick labels take.
		data := pn.plot.DataCanvas(cell)
		dc.FillText(textStyle(12, draw.XCenter), vg.Point{X: data.Center().X, Y: data.Max.Y + 6}, panelTitles[i])
		pn.key.Draw(draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{
			Min: vg.Point{X: cell.Max.X + 6, Y: data.Min.Y},
			Max: vg.Point{X: cell.Max.X + legendRoom - 2, Y: data.Max.Y},
		}})
	}
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(w); err != nil {
		return fmt.Errorf("chart: writing PNG: %w", err)
	}
	return nil
}

// chartTitle names the server and its capacity for one curve, or lists
// the curves compared.
func chartTitle(curves []Curve) string {
	if len(curves) > 1 {
		names := make([]string, len(curves))
		for i, c := range curves {
			names[i] = c.Name
		}
		return "Load bench: " + strings.Join(names, " vs ")
	}
	c := curves[0]
	if c.Report.Capacity == nil {
		return fmt.Sprintf("Load bench: %s", c.Name)
	}
	return fmt.Sprintf("Load bench: %s, capacity %d concurrent calls (p95 ≤ %s s)",
		c.Name, *c.Report.Capacity, trimFloat(c.Report.Rule.MaxP95MS/1000))
}

// pixels turns a size in pixels into gonum/plot's points at chartDPI.
func pixels(n int) vg.Length { return vg.Length(n) * vg.Inch / chartDPI }

// textStyle is the chart's text in the default font at size points.
func textStyle(size vg.Length, align draw.XAlignment) text.Style {
	return text.Style{
		Color:   color.Black,
		Font:    font.From(plot.DefaultFont, size),
		XAlign:  align,
		YAlign:  draw.YBottom,
		Handler: plot.DefaultTextHandler,
	}
}
