package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// compareCharts draws the runs of several reports on one chart, written
// as out/chart.png. Each argument is a report folder, DIR or NAME=DIR; the
// name (by default the folder's base name) labels its curves, and the
// first report's rule gives the bounds drawn.
func compareCharts(out string, args []string) error {
	if len(args) == 0 {
		return errors.New("--compare: name at least one report folder, NAME=DIR or DIR")
	}
	curves := make([]Curve, len(args))
	for i, arg := range args {
		name, dir := curveArg(arg)
		rep, err := loadReport(dir)
		if err != nil {
			return fmt.Errorf("--compare: %w", err)
		}
		curves[i] = Curve{Name: name, Report: rep}
	}
	var png bytes.Buffer
	if err := WriteChart(&png, curves); err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("--compare: %w", err)
	}
	if err := os.WriteFile(filepath.Join(out, "chart.png"), png.Bytes(), 0o644); err != nil {
		return fmt.Errorf("--compare: %w", err)
	}
	return nil
}

// curveArg splits NAME=DIR; a DIR without a name is named by its base
// name.
func curveArg(arg string) (name, dir string) {
	name, dir, ok := strings.Cut(arg, "=")
	if !ok {
		name, dir = "", arg
	}
	if name == "" {
		name = filepath.Base(filepath.Clean(dir))
	}
	return name, dir
}

// loadReport reads dir's report.json.
func loadReport(dir string) (Report, error) {
	var rep Report
	data, err := os.ReadFile(filepath.Join(dir, "report.json"))
	if err != nil {
		return rep, fmt.Errorf("reading the report: %w", err)
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		return rep, fmt.Errorf("%s: %w", dir, err)
	}
	return rep, nil
}
