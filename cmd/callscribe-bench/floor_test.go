package main

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callscribe/callscribe/codec"
)

func TestMeasureFloor(t *testing.T) {
	// A stand-in for callscribe: it logs its arguments and spends CPU on
	// every file, so the floor's arithmetic and files can be checked
	// without a model. The real command runs in make bench-load.
	dir := t.TempDir()
	bin := filepath.Join(dir, "fake-callscribe")
	script := "#!/bin/sh\necho \"$@\" >> " + filepath.Join(dir, "args") + "\nfor f in \"$@\"; do case $f in *.wav) i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done;; esac; done\n"
	if err := os.WriteFile(bin, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	agentLines, callerClips := testClips()
	clips := append(agentLines, callerClips...)
	fl, err := measureFloor(context.Background(), bin, []string{"--model", "m.bin"}, clips, filepath.Join(dir, "floor"))
	if err != nil {
		t.Fatal(err)
	}
	if fl.CPUSec <= 0 || fl.CPUPerSpeechSec <= 0 {
		t.Errorf("floor %+v: no CPU measured", fl)
	}
	// Each file is the clip's speech region with 0.1 s either side, as
	// the server receives it: 8 kHz mu-law.
	var want float64
	for _, c := range clips {
		a, err := codec.ReadWAVFile(filepath.Join(dir, "floor", c.Name+".wav"))
		if err != nil {
			t.Fatal(err)
		}
		got := a.Duration().Seconds()
		span := c.SpeechEnd - c.SpeechStart + 2*floorPad
		if a.SampleRate != 8000 || math.Abs(got-span) > 0.05 {
			t.Errorf("%s: %d Hz, %.2f s; want 8000 Hz, %.2f s", c.Name, a.SampleRate, got, span)
		}
		want += got
	}
	// Three passes over every clip, less the shortest clip's lone run.
	if math.Abs(fl.SpeechSec-(floorRepeats*want-shortest(clips))) > 0.1 {
		t.Errorf("speech %.2f s, want %.2f", fl.SpeechSec, floorRepeats*want-shortest(clips))
	}
	args, err := os.ReadFile(filepath.Join(dir, "args"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(args)), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "transcribe --beam-size 1 --audio-ctx exact --flash-attention --workers 1 --threads 1 --model m.bin ") {
		t.Errorf("commands run:\n%s", args)
	}
	if n := strings.Count(lines[0], ".wav"); n != floorRepeats*len(clips) {
		t.Errorf("first run got %d files, want %d", n, floorRepeats*len(clips))
	}
}

func shortest(clips []Clip) float64 {
	s := math.Inf(1)
	for _, c := range clips {
		s = math.Min(s, c.SpeechEnd-c.SpeechStart+2*floorPad)
	}
	return s
}

func TestMeasureFloorReportsFailure(t *testing.T) {
	agentLines, callerClips := testClips()
	_, err := measureFloor(context.Background(), "/bin/false", nil, append(agentLines, callerClips...), t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "floor:") {
		t.Errorf("err = %v, want a floor error", err)
	}
}
