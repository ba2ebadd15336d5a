package main

import (
	"strings"
	"testing"
)

func TestWriteMarkdown(t *testing.T) {
	c := 2
	rep := Report{Server: "ws://x/v1/twilio", Rule: Rule{MaxP95MS: 1500, MaxWERDelta: 0.01}, Capacity: &c,
		CapacityAt: map[string]int{"10.0s": 4, "1.5s": 2},
		Floor:      &Floor{Command: "callscribe transcribe FILES", SpeechSec: 90, CPUSec: 4.5, CPUPerSpeechSec: 0.05},
		Runs:       []Verdict{{Figures: figs(1, 900, 0.02), Pass: true}, {Figures: figs(4, 2000, 0.02), Why: []string{"p95 final latency 2000 ms > 1500 ms"}}}}
	var b strings.Builder
	if err := WriteMarkdown(&b, rep, "chart.png"); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	for _, want := range []string{"**Capacity: 2 concurrent", "1.5s: 2; 10.0s: 4;", "![latency and WER against N](chart.png)",
		"| 1 | 0 | 0 |", "| yes |", "no: p95 final latency 2000 ms", "2.0% (0/100)"} {
		if !strings.Contains(md, want) {
			t.Errorf("no %q in\n%s", want, md)
		}
	}
	if !strings.Contains(md, "Cost floor: 0.0500 CPU-s per second of speech (90.0 s") {
		t.Errorf("no floor line in\n%s", md)
	}
	if strings.Count(md, "\n| ") != 6 { // two tables, each a header and two runs
		t.Errorf("table rows:\n%s", md)
	}
}
