package main

import (
	"bytes"
	"image/png"
	"math"
	"testing"
)

func TestWriteChart(t *testing.T) {
	runs := []Figures{figs(1, 900, 0.03), figs(2, 1100, 0.035), figs(4, 2600, 0.04), figs(6, 60000, 0.5)}
	runs[0].FinalServerMS.P50 = 600
	runs[2].FinalServerMS, runs[2].FinalClientMS = Percentiles{}, Percentiles{} // no finals: skipped, not drawn at 0
	var buf bytes.Buffer
	if err := WriteChart(&buf, runs, 1500, 0.03, 0.01); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != chartW || b.Dy() != chartH {
		t.Fatalf("size %v", b)
	}
	count := map[[3]uint32]int{}
	for y := 0; y < chartH; y++ {
		for x := 0; x < chartW; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			count[[3]uint32{r >> 8, g >> 8, b >> 8}]++
		}
	}
	for name, c := range map[string][3]uint32{"p50": {0x1f, 0x77, 0xb4}, "p95": {0xd6, 0x27, 0x28}, "wer": {0x2c, 0xa0, 0x2c}} {
		if count[c] < 200 {
			t.Errorf("%s series: %d pixels", name, count[c])
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
