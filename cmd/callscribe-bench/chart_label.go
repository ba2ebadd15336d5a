package main

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// boundLabel writes a bound's label along its line, just above or below
// it at the left or the right end of the panel: wherever the panel's
// series cross it least, since runs bunch up around the bound. A white
// backing keeps it legible over the lines it still crosses.
type boundLabel struct {
	y      float64 // the bound, in the panel's y units
	text   string
	style  text.Style
	series []plotter.XYs // the panel's series, to keep clear of
}

// Plot draws the label, implementing plot.Plotter.
func (b *boundLabel) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	ext := b.style.Rectangle(b.text)
	pad := vg.Points(2)
	w, h := ext.Size().X+2*pad, ext.Size().Y+2*pad
	var best vg.Rectangle
	fewest := -1
	for _, above := range []bool{true, false} {
		for _, left := range []bool{true, false} {
			at := vg.Point{X: c.Min.X + pad, Y: trY(b.y) + pad}
			if !left {
				at.X = c.Max.X - pad - w
			}
			if !above {
				at.Y = trY(b.y) - pad - h
			}
			r := vg.Rectangle{Min: at, Max: at.Add(vg.Point{X: w, Y: h})}
			if n := crossings(r, b.series, trX, trY); fewest < 0 || n < fewest {
				best, fewest = r, n
			}
		}
	}
	c.SetColor(color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xd8})
	c.Fill(best.Path())
	c.FillText(b.style, best.Min.Add(vg.Point{X: pad, Y: pad}).Sub(ext.Min), b.text)
}

// crossings counts the segments of series that pass through r, sampling
// each along its length.
func crossings(r vg.Rectangle, series []plotter.XYs, trX, trY func(float64) vg.Length) int {
	const samples = 32
	n := 0
	for _, xys := range series {
		for i := range xys {
			from, to := xys[i], xys[min(i+1, len(xys)-1)]
			for k := range samples + 1 {
				t := float64(k) / samples
				pt := vg.Point{X: trX(from.X + t*(to.X-from.X)), Y: trY(from.Y + t*(to.Y-from.Y))}
				if r.Min.X <= pt.X && pt.X <= r.Max.X && r.Min.Y <= pt.Y && pt.Y <= r.Max.Y {
					n++
					break
				}
			}
		}
	}
	return n
}
