package main

import (
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"strconv"
)

// Chart geometry, in pixels.
const (
	chartW, chartH = 960, 440
	panelW         = chartW / 2
	marginL        = 56
	marginR        = 20
	marginT        = 56
	marginB        = 44
	glyphScale     = 2
)

// The chart's y axes stop at these (seconds, percent); the table has the
// values beyond.
const (
	latencyCeiling = 10
	werCeiling     = 20
)

// Series colours.
var (
	colP50      = color.RGBA{0x1f, 0x77, 0xb4, 0xff}
	colP95      = color.RGBA{0xd6, 0x27, 0x28, 0xff}
	colWERAll   = color.RGBA{0x2c, 0xa0, 0x2c, 0xff}
	colWERIn    = color.RGBA{0xff, 0x7f, 0x0e, 0xff}
	colWEROut   = color.RGBA{0x94, 0x67, 0xbd, 0xff}
	colAxis     = color.RGBA{0x33, 0x33, 0x33, 0xff}
	colGrid     = color.RGBA{0xe4, 0xe4, 0xe4, 0xff}
	colLimit    = color.RGBA{0x88, 0x88, 0x88, 0xff}
	colBackdrop = color.RGBA{0xff, 0xff, 0xff, 0xff}
)

// glyphs is a 3x5 bitmap font for the few characters the chart writes:
// each row is three bits, the high bit on the left.
var glyphs = map[rune][5]uint8{
	'0': {7, 5, 5, 5, 7}, '1': {2, 6, 2, 2, 7}, '2': {7, 1, 7, 4, 7},
	'3': {7, 1, 7, 1, 7}, '4': {5, 5, 7, 1, 1}, '5': {7, 4, 7, 1, 7},
	'6': {7, 4, 7, 5, 7}, '7': {7, 1, 1, 2, 2}, '8': {7, 5, 7, 5, 7},
	'9': {7, 5, 7, 1, 7}, '.': {0, 0, 0, 0, 2}, '%': {5, 1, 2, 4, 5},
	'P': {6, 5, 6, 4, 4}, 'W': {5, 5, 5, 7, 5}, 'E': {7, 4, 6, 4, 7},
	'R': {6, 5, 6, 5, 5}, 'N': {5, 7, 7, 5, 5}, 'S': {7, 4, 7, 1, 7},
	'I': {7, 2, 2, 2, 7}, 'O': {7, 5, 5, 5, 7}, 'U': {5, 5, 5, 5, 7},
	'T': {7, 2, 2, 2, 2}, 'A': {2, 5, 7, 5, 5}, 'L': {4, 4, 4, 4, 7},
	'C': {7, 4, 4, 4, 7}, 'Y': {5, 5, 2, 2, 2}, ' ': {},
}

// canvas is an RGBA image with the few drawing operations the chart needs.
type canvas struct{ *image.RGBA }

func (c canvas) fill(r image.Rectangle, col color.Color) {
	r = r.Intersect(c.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c.Set(x, y, col)
		}
	}
}

// line draws a line two pixels thick, dashed when dash > 0.
func (c canvas) line(x0, y0, x1, y1 float64, col color.Color, dash int) {
	n := int(math.Max(math.Abs(x1-x0), math.Abs(y1-y0))) + 1
	for i := 0; i <= n; i++ {
		if dash > 0 && (i/dash)%2 == 1 {
			continue
		}
		t := float64(i) / float64(n)
		x, y := int(x0+t*(x1-x0)), int(y0+t*(y1-y0))
		c.fill(image.Rect(x, y, x+2, y+2), col)
	}
}

// text writes s with its top-left corner at (x, y) and returns its width.
func (c canvas) text(x, y int, s string, col color.Color) int {
	w := 0
	for _, r := range s {
		g := glyphs[r]
		for row := range 5 {
			for bit := range 3 {
				if g[row]&(4>>bit) != 0 {
					px, py := x+w+bit*glyphScale, y+row*glyphScale
					c.fill(image.Rect(px, py, px+glyphScale, py+glyphScale), col)
				}
			}
		}
		w += 4 * glyphScale
	}
	return w
}

func textWidth(s string) int { return len([]rune(s)) * 4 * glyphScale }

// series is one line of a panel.
type series struct {
	label string
	col   color.Color
	ys    []float64 // one per x; NaN is skipped
}

// panel draws a line chart in the rectangle r: xs against each series, y
// from 0 to a rounded maximum, with an optional dashed limit line. Values
// above ceiling (when positive) are drawn on the top edge as hollow
// squares, so that a collapse does not flatten the rest of the curve.
func (c canvas) panel(r image.Rectangle, title string, xs []float64, ss []series, limit, ceiling float64, decimals int) {
	plot := image.Rect(r.Min.X+marginL, r.Min.Y+marginT, r.Max.X-marginR, r.Max.Y-marginB)
	c.text(r.Min.X+marginL, r.Min.Y+8, title, colAxis)
	// Legend: a coloured box and the label per series.
	lx := r.Min.X + marginL
	for _, s := range ss {
		c.fill(image.Rect(lx, r.Min.Y+28, lx+14, r.Min.Y+40), s.col)
		lx += 20 + c.text(lx+20, r.Min.Y+29, s.label, colAxis) + 16
	}
	ymax := limit
	for _, s := range ss {
		for _, y := range s.ys {
			if !math.IsNaN(y) {
				ymax = math.Max(ymax, y)
			}
		}
	}
	if ceiling > 0 {
		ymax = math.Min(ymax, ceiling)
	}
	step := niceStep(ymax / 5)
	if step <= 0 {
		step = 1
	}
	ymax = math.Ceil(ymax/step) * step
	xmin, xmax := 0.0, 1.0
	if len(xs) > 0 {
		xmin, xmax = xs[0], xs[len(xs)-1]
		for _, x := range xs {
			xmin, xmax = math.Min(xmin, x), math.Max(xmax, x)
		}
	}
	if xmax == xmin {
		xmin, xmax = xmin-1, xmax+1
	}
	px := func(x float64) float64 {
		return float64(plot.Min.X) + (x-xmin)/(xmax-xmin)*float64(plot.Dx())
	}
	py := func(y float64) float64 {
		return float64(plot.Max.Y) - y/ymax*float64(plot.Dy())
	}
	for y := 0.0; y <= ymax+step/2; y += step {
		yy := py(y)
		c.line(float64(plot.Min.X), yy, float64(plot.Max.X), yy, colGrid, 0)
		label := strconv.FormatFloat(y, 'f', decimals, 64)
		c.text(plot.Min.X-8-textWidth(label), int(yy)-5, label, colAxis)
	}
	for _, x := range xs {
		xx := px(x)
		c.line(xx, float64(plot.Max.Y), xx, float64(plot.Max.Y)+6, colAxis, 0)
		label := strconv.FormatFloat(x, 'f', -1, 64)
		c.text(int(xx)-textWidth(label)/2, plot.Max.Y+12, label, colAxis)
	}
	c.text(plot.Max.X-textWidth("N"), plot.Max.Y+28, "N", colAxis)
	c.line(float64(plot.Min.X), float64(plot.Min.Y), float64(plot.Min.X), float64(plot.Max.Y), colAxis, 0)
	c.line(float64(plot.Min.X), float64(plot.Max.Y), float64(plot.Max.X), float64(plot.Max.Y), colAxis, 0)
	if limit > 0 {
		c.line(float64(plot.Min.X), py(limit), float64(plot.Max.X), py(limit), colLimit, 6)
	}
	for _, s := range ss {
		prev := -1
		for i, y := range s.ys {
			if i >= len(xs) || math.IsNaN(y) {
				continue
			}
			clipped := y > ymax
			y = math.Min(y, ymax)
			if prev >= 0 {
				c.line(px(xs[prev]), py(math.Min(s.ys[prev], ymax)), px(xs[i]), py(y), s.col, 0)
			}
			x0, y0 := int(px(xs[i])), int(py(y))
			c.fill(image.Rect(x0-4, y0-4, x0+5, y0+5), s.col)
			if clipped {
				c.fill(image.Rect(x0-2, y0-2, x0+3, y0+3), colBackdrop)
			}
			prev = i
		}
	}
}

// niceStep rounds x up to 1, 2 or 5 times a power of ten.
func niceStep(x float64) float64 {
	if x <= 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	p := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= x {
			return m * p
		}
	}
	return 10 * p
}

// WriteChart draws final latency p50/p95 (seconds, the worse of the
// server's and the client's measure, with the limit dashed)
// and WER (percent, both tracks and each) against N for runs sorted by N,
// and writes it as PNG.
func WriteChart(w io.Writer, runs []Figures, limitMS, baselineWER, werDelta float64) error {
	img := canvas{image.NewRGBA(image.Rect(0, 0, chartW, chartH))}
	img.fill(img.Bounds(), colBackdrop)
	xs := make([]float64, len(runs))
	p50, p95 := make([]float64, len(runs)), make([]float64, len(runs))
	all, in, out := make([]float64, len(runs)), make([]float64, len(runs)), make([]float64, len(runs))
	pick := func(f Figures, k string) float64 {
		if v, ok := f.WER[k]; ok {
			return 100 * v.WER
		}
		return math.NaN()
	}
	for i, f := range runs {
		xs[i] = float64(f.N)
		p50[i], p95[i] = math.Max(f.FinalServerMS.P50, f.FinalClientMS.P50)/1000, Rule{}.P95(f)/1000
		if f.FinalServerMS.Count == 0 && f.FinalClientMS.Count == 0 {
			p50[i], p95[i] = math.NaN(), math.NaN()
		}
		all[i], in[i], out[i] = pick(f, "all"), pick(f, caller), pick(f, agent)
	}
	left := image.Rect(0, 0, panelW, chartH)
	right := image.Rect(panelW, 0, chartW, chartH)
	img.panel(left, "LATENCY S", xs, []series{{"P50", colP50, p50}, {"P95", colP95, p95}}, limitMS/1000, latencyCeiling, 1)
	img.panel(right, "WER %", xs, []series{{"ALL", colWERAll, all}, {"IN", colWERIn, in}, {"OUT", colWEROut, out}},
		100*(baselineWER+werDelta), werCeiling, 1)
	return png.Encode(w, img.RGBA)
}
