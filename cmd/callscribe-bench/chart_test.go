package main

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"
)

// chartReport is a bench report with runs at ns whose latency grows with
// N by scale, and whose WER, from wer at N=0, differs per track.
func chartReport(scale, wer float64, ns ...int) Report {
	rep := Report{Rule: Rule{MaxP95MS: 1500, MaxWERDelta: 0.01}}
	for _, n := range ns {
		ms := scale * float64(n)
		f := Figures{N: n,
			FinalServerMS: Percentiles{Count: 20, P50: ms, P95: 2 * ms, P99: 3 * ms},
			FinalClientMS: Percentiles{Count: 20, P50: ms + 100, P95: 2*ms + 100, P99: 3*ms + 100},
			WER: map[string]WERFigure{"all": {WER: wer + 0.002*float64(n), RefWords: 200},
				caller: {WER: 0.01, RefWords: 100}, agent: {WER: 0.06, RefWords: 100}},
		}
		rep.Runs = append(rep.Runs, Verdict{Figures: f})
	}
	return rep
}

// drawChart draws curves and returns the decoded PNG and, per half (the
// latency panel, then the WER panel, each with its legend), how many
// pixels have each exact colour.
func drawChart(t *testing.T, curves ...Curve) (image.Image, [2]map[color.RGBA]int) {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteChart(&buf, curves); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatalf("the chart is no PNG: %v", err)
	}
	counts := [2]map[color.RGBA]int{{}, {}}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, a := img.At(x, y).RGBA()
			counts[min(1, 2*(x-b.Min.X)/b.Dx())][color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8), uint8(a >> 8)}]++
		}
	}
	return img, counts
}

func TestWriteChart(t *testing.T) {
	rep := chartReport(400, 0.03, 1, 2, 4, 6, 8)
	rep.Runs[4].FinalServerMS, rep.Runs[4].FinalClientMS = Percentiles{}, Percentiles{} // no finals: left out, not drawn at 0
	img, counts := drawChart(t, Curve{Name: "tuned", Report: rep})
	if b := img.Bounds(); b.Dx() != chartW || b.Dy() != chartH {
		t.Fatalf("size %v, want %dx%d", b, chartW, chartH)
	}
	white := color.RGBA{0xff, 0xff, 0xff, 0xff}
	inked := chartW*chartH - counts[0][white] - counts[1][white]
	if inked < chartW*chartH/30 || inked > chartW*chartH/2 {
		t.Errorf("%d of %d pixels are not white: blank or smeared", inked, chartW*chartH)
	}
	for _, c := range []struct {
		name string
		half int
		col  color.RGBA
	}{
		{"p50", 0, palette[0]}, {"p95", 0, palette[1]}, {"p99", 0, tailPurple}, {"p95 bound", 0, boundInk},
		{"WER both tracks", 1, palette[3]}, {"WER caller", 1, palette[4]}, {"WER agent", 1, palette[5]}, {"WER allowance", 1, boundInk},
	} {
		if n := counts[c.half][c.col]; n < 150 {
			t.Errorf("%s: %d pixels of its colour %v", c.name, n, c.col)
		}
	}
	lat, err := latencyPanel([]Curve{{Name: "tuned", Report: rep}})
	if err != nil {
		t.Fatal(err)
	}
	for _, xys := range lat.series {
		if len(xys) != 4 {
			t.Errorf("a percentile has %d points, want 4: the run without finals left out", len(xys))
		}
	}
}

func TestWriteChartPeers(t *testing.T) {
	ours := Curve{Name: "callscribe", Report: chartReport(300, 0.03, 1, 2, 3, 4, 6, 8)}
	peers := []Curve{{Name: "naive", Report: chartReport(1500, 0.15, 1, 2, 3)}, {Name: "WhisperLive", Report: chartReport(9000, 0.3, 1, 2, 3)}}
	alone, err := latencyPanel([]Curve{ours})
	if err != nil {
		t.Fatal(err)
	}
	all := append([]Curve{ours}, peers...)
	together, err := latencyPanel(all)
	if err != nil {
		t.Fatal(err)
	}
	if len(alone.series) != 3 || len(together.series) != 9 {
		t.Errorf("latency series: %d alone, %d with two peers; want 3 and 9", len(alone.series), len(together.series))
	}
	wer, err := werPanel(all)
	if err != nil {
		t.Fatal(err)
	}
	if len(wer.series) != 3 {
		t.Errorf("WER series with two peers: %d, want one per server", len(wer.series))
	}
	// Alone, the third colour is unused (p99 is its pale shade); with
	// peers it is the second peer's, on both panels.
	_, counts := drawChart(t, ours)
	if n := counts[0][palette[2]] + counts[1][palette[2]]; n > 20 {
		t.Errorf("one report: %d pixels of the third curve's colour", n)
	}
	_, counts = drawChart(t, all...)
	for i := range all {
		for half, name := range []string{"latency", "WER"} {
			if n := counts[half][seriesColour(i)]; n < 150 {
				t.Errorf("%s panel: %s has %d pixels of its colour", name, all[i].Name, n)
			}
		}
	}
}

func TestWriteChartNoRuns(t *testing.T) {
	if err := WriteChart(&bytes.Buffer{}, nil); err == nil {
		t.Error("a chart of no report drawn")
	}
	// A report without runs (none judged yet) still gets its bound.
	_, counts := drawChart(t, Curve{Name: "empty", Report: chartReport(0, 0)})
	if counts[0][boundInk] < 100 {
		t.Errorf("no p95 bound on an empty chart: %d pixels", counts[0][boundInk])
	}
}
