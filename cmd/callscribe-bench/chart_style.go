package main

import (
	"cmp"
	"image/color"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// palette gives each series a colour (Tableau 10, ordered so that the
// first few differ most); boundInk draws the bounds, chartGrey the
// legend's keys to line styles alone.
var (
	palette = []color.RGBA{
		{0x1f, 0x77, 0xb4, 0xff}, {0xd6, 0x27, 0x28, 0xff}, {0x94, 0x67, 0xbd, 0xff},
		{0x2c, 0xa0, 0x2c, 0xff}, {0xff, 0x7f, 0x0e, 0xff}, {0x8c, 0x56, 0x4b, 0xff},
		{0xe3, 0x77, 0xc2, 0xff}, {0xbc, 0xbd, 0x22, 0xff}, {0x17, 0xbe, 0xcf, 0xff},
	}
	tailPurple = color.RGBA{0xb4, 0x9a, 0xd2, 0xff} // a pale palette[2], for p99
	boundInk   = color.RGBA{0x22, 0x22, 0x22, 0xff}
	chartGrey  = color.RGBA{0x77, 0x77, 0x77, 0xff}
	gridGrey   = color.RGBA{0xdd, 0xdd, 0xdd, 0xff}
)

// seriesColour is the i-th series' colour, cycling through the palette.
func seriesColour(i int) color.RGBA { return palette[i%len(palette)] }

// panel is one side of the chart: its plot, its legend, and the series
// drawn on it, which its bound's label keeps clear of.
type panel struct {
	plot   *plot.Plot
	key    plot.Legend
	series []plotter.XYs
}

// newPanel returns an empty panel with N on its x axis, ticks at every N
// any curve measured, and an empty legend.
func newPanel(yLabel string, curves []Curve) panel {
	p := plot.New()
	p.X.Label.Text, p.Y.Label.Text = "concurrent calls N", yLabel
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(plot.DefaultFont, 11)
		a.Tick.Label.Font = font.From(plot.DefaultFont, 10)
	}
	var ns []int
	for _, c := range curves {
		for _, v := range c.Report.Runs {
			ns = append(ns, v.N)
		}
	}
	slices.Sort(ns)
	ns = slices.Compact(ns)
	ticks := make(plot.ConstantTicks, len(ns))
	for i, n := range ns {
		ticks[i] = plot.Tick{Value: float64(n), Label: strconv.Itoa(n)}
	}
	p.X.Tick.Marker = ticks
	// Half a call either side keeps the end glyphs off the axes; a report
	// without runs yet still gets an axis for its bounds.
	p.X.Min, p.X.Max = 0.5, 1.5
	if len(ns) > 0 {
		p.X.Min, p.X.Max = float64(ns[0])-0.5, float64(ns[len(ns)-1])+0.5
	}
	grid := plotter.NewGrid()
	grid.Vertical.Color, grid.Horizontal.Color = gridGrey, gridGrey
	grid.Vertical.Width, grid.Horizontal.Width = vg.Points(0.75), vg.Points(0.75)
	p.Add(grid)
	key := plot.NewLegend()
	key.TextStyle.Font = font.From(plot.DefaultFont, 10)
	key.Top, key.Left = true, true
	key.ThumbnailWidth = vg.Points(22)
	key.Padding = vg.Points(2)
	return panel{plot: p, key: key}
}

// points turns runs into the (N, y) points of one series, in N order,
// leaving out the runs y has no value for.
func points(runs []Verdict, y func(Figures) float64) plotter.XYs {
	var xys plotter.XYs
	for _, v := range runs {
		if val := y(v.Figures); !math.IsNaN(val) && !math.IsInf(val, 0) {
			xys = append(xys, plotter.XY{X: float64(v.N), Y: val})
		}
	}
	slices.SortFunc(xys, func(a, b plotter.XY) int { return cmp.Compare(a.X, b.X) })
	return xys
}

// add draws xys as a line in style, with a dot of radius dot at
// each run unless dot is 0; it returns the legend's thumbnails, none when
// there was nothing to draw.
func (pn *panel) add(xys plotter.XYs, style draw.LineStyle, dot vg.Length) ([]plot.Thumbnailer, error) {
	if len(xys) == 0 {
		return nil, nil
	}
	l, s, err := plotter.NewLinePoints(xys)
	if err != nil {
		return nil, err
	}
	l.LineStyle = style
	pn.plot.Add(l)
	pn.series = append(pn.series, xys)
	if dot == 0 {
		return []plot.Thumbnailer{l}, nil
	}
	s.GlyphStyle = draw.GlyphStyle{Color: style.Color, Radius: dot, Shape: draw.CircleGlyph{}}
	pn.plot.Add(s)
	return []plot.Thumbnailer{l, s}, nil
}

// addBound draws a dash-dotted line across the panel at y, labelled on
// the panel with label, clear of its series where it can be, and in its
// legend with keyLabel. It comes after the series, to be drawn over them.
func (pn *panel) addBound(y float64, label, keyLabel string) error {
	l, err := plotter.NewLine(plotter.XYs{{X: pn.plot.X.Min, Y: y}, {X: pn.plot.X.Max, Y: y}})
	if err != nil {
		return err
	}
	l.LineStyle = draw.LineStyle{Color: boundInk, Width: vg.Points(1.25), Dashes: []vg.Length{vg.Points(7), vg.Points(2.5), vg.Points(1.5), vg.Points(2.5)}}
	style := textStyle(9, draw.XLeft)
	style.Color = boundInk
	pn.plot.Add(l, &boundLabel{y: y, text: label, style: style, series: pn.series})
	pn.key.Add(keyLabel, l)
	return nil
}
