package main

import (
	"errors"
	"image/png"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// decodeChartFile checks that path is a PNG of the chart's size.
func decodeChartFile(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if b := img.Bounds(); b.Dx() != chartW || b.Dy() != chartH {
		t.Errorf("%s: size %v", path, b)
	}
}

func TestCompareCharts(t *testing.T) {
	root := t.TempDir()
	ours, peer, out := filepath.Join(root, "tuned"), filepath.Join(root, "peers", "naive"), filepath.Join(root, "all")
	for dir, rep := range map[string]Report{ours: chartReport(300, 0.03, 1, 2, 4), peer: chartReport(1500, 0.15, 1, 2)} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := writeJSON(filepath.Join(dir, "report.json"), rep); err != nil {
			t.Fatal(err)
		}
	}
	if err := compareCharts(out, []string{"callscribe tuned=" + ours, peer}); err != nil {
		t.Fatal(err)
	}
	decodeChartFile(t, filepath.Join(out, "chart.png"))
	if err := compareCharts(out, nil); err == nil {
		t.Error("a comparison of no report drawn")
	}
	if err := compareCharts(out, []string{filepath.Join(root, "none")}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing report: %v", err)
	}
}

func TestCurveArg(t *testing.T) {
	for _, c := range []struct{ arg, name, dir string }{
		{"results/peers/naive", "naive", "results/peers/naive"},
		{"results/tuned/", "tuned", "results/tuned/"},
		{"callscribe tuned=results/tuned", "callscribe tuned", "results/tuned"},
		{"=results/tuned", "tuned", "results/tuned"},
	} {
		if name, dir := curveArg(c.arg); name != c.name || dir != c.dir {
			t.Errorf("curveArg(%q) = %q, %q; want %q, %q", c.arg, name, dir, c.name, c.dir)
		}
	}
}

func TestReplot(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "default")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := writeJSON(filepath.Join(dir, "report.json"), chartReport(700, 0.04, 1, 2, 3)); err != nil {
		t.Fatal(err)
	}
	if err := replot(dir); err != nil {
		t.Fatal(err)
	}
	decodeChartFile(t, filepath.Join(dir, "chart.png"))
	if _, err := os.Stat(filepath.Join(dir, "report.md")); err != nil {
		t.Error(err)
	}
}
