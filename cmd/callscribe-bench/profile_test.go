package main

import (
	"math"
	"strings"
	"testing"

	"github.com/callscribe/callscribe/transcribe"
)

func TestProfileSplitsTheServersCPU(t *testing.T) {
	e := transcribe.EngineSeconds{Final: 2, Partial: 3, Speculative: 1, Wasted: 0.5}
	p := profileOf(e, 10)
	want := Profile{Partial: 0.3, Final: 0.2, Speculative: 0.1, Other: 0.4, Wasted: 0.05}
	for _, c := range [][2]float64{{p.Partial, want.Partial}, {p.Final, want.Final}, {p.Speculative, want.Speculative}, {p.Other, want.Other}, {p.Wasted, want.Wasted}} {
		if math.Abs(c[0]-c[1]) > 1e-9 {
			t.Fatalf("profile %+v, want %+v", p, want)
		}
	}
	// Engine time measured above the process's CPU: the kinds are scaled
	// to the whole, nothing is left for the rest.
	if p := profileOf(e, 5); p.Other != 0 || math.Abs(p.Partial+p.Final+p.Speculative-1) > 1e-9 {
		t.Errorf("engine over the process: %+v", p)
	}
	if p := profileOf(transcribe.EngineSeconds{}, 10); p != (Profile{}) {
		t.Errorf("no engine figures: %+v", p)
	}
}

func TestMarkdownShowsTheProfile(t *testing.T) {
	f := figs(8, 1200, 0.03)
	f.AudioSec, f.CPUSec = 100, 20
	f.Engine = transcribe.EngineSeconds{Final: 6, Partial: 4, Speculative: 2, Wasted: 1}
	f.Profile = profileOf(f.Engine, f.CPUSec)
	var b strings.Builder
	if err := WriteMarkdown(&b, Report{Runs: []Verdict{{Figures: f, Pass: true}}}, ""); err != nil {
		t.Fatal(err)
	}
	if want := "| 8 | 20% | 30% | 10% | 40% | 5% | 0.120 |"; !strings.Contains(b.String(), want) {
		t.Errorf("no %q in\n%s", want, b.String())
	}
}
