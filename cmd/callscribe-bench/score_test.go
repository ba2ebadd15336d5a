package main

import (
	"math"
	"testing"

	"github.com/callscribe/callscribe/bridge/event"
)

func TestSummarise(t *testing.T) {
	xs := make([]float64, 100)
	for i := range xs {
		xs[i] = float64(100 - i) // 100..1, unsorted
	}
	p := Summarise(xs)
	if p.Count != 100 || p.P50 != 50 || p.P95 != 95 || p.P99 != 99 || p.Max != 100 {
		t.Errorf("%+v", p)
	}
	if xs[0] != 100 {
		t.Error("Summarise sorted its input")
	}
	if p := Summarise([]float64{7}); p.P50 != 7 || p.P99 != 7 {
		t.Errorf("one value: %+v", p)
	}
	if p := Summarise(nil); p.Count != 0 || p.P95 != 0 {
		t.Errorf("empty: %+v", p)
	}
	if !math.IsNaN(quantile(nil, 0.5)) {
		t.Error("quantile of nothing is not NaN")
	}
	// Nearest rank: the 95th percentile of 1..10 is 10, of 1..20 is 19.
	if q := quantile([]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0.95); q != 10 {
		t.Errorf("p95 of 1..10 = %v", q)
	}
}

func final(at float64, track, id, text string, start, end float64, latency int64) Arrival {
	return Arrival{At: at, Event: event.Event{Type: event.Transcript, Track: track, UtteranceID: id,
		IsFinal: true, Text: text, Start: start, End: end, LatencyMS: latency}}
}

func partial(at float64, track, id, text string, start float64) Arrival {
	return Arrival{At: at, Event: event.Event{Type: event.Transcript, Track: track, UtteranceID: id, Text: text, Start: start}}
}

func TestScore(t *testing.T) {
	call := Call{Truth: []Truth{
		{Track: agent, Clip: "a1", Ref: "hello caller", Start: 0.5, End: 2},
		{Track: caller, Clip: "c1", Ref: "alpha beta gamma delta", Start: 2.5, End: 5},
		{Track: agent, Clip: "a2", Ref: "goodbye", Start: 6, End: 7},
		{Track: caller, Clip: "c2", Ref: "epsilon zeta", Start: 8, End: 9},
	}}
	evs := []Arrival{
		{At: 0, Event: event.Event{Type: event.CallStarted}},
		partial(1.5, agent, "outbound-1", "hello", 0.2),
		final(3.0, agent, "outbound-1", "Hello, caller.", 0.2, 2.3, 700),
		partial(3.5, caller, "inbound-1", "alpha", 2.2),
		partial(4.3, caller, "inbound-1", "alpha beta", 2.2),
		// The caller's clip split in two by the server.
		final(4.5, caller, "inbound-1", "alpha beta", 2.2, 3.8, 600),
		final(6.0, caller, "inbound-2", "gamma doubt", 4.0, 5.3, 900),
		// An empty final (a preview taken down) is no final.
		final(8.0, agent, "outbound-2", "", 5.8, 7.3, 500),
		// A stray final far from any truth counts as insertions only.
		final(12, agent, "outbound-3", "uh", 11, 11.5, 400),
	}
	s := Score(call, evs)
	if s.Partials != 3 || s.Finals != 4 || s.Expected != 4 {
		t.Errorf("partials %d finals %d expected %d", s.Partials, s.Finals, s.Expected)
	}
	if len(s.Missing) != 2 || s.Missing[0] != "outbound:a2" || s.Missing[1] != "inbound:c2" {
		t.Errorf("missing %v", s.Missing)
	}
	if w := s.WER[caller]; w.RefWords != 6 || w.Substitutions != 1 || w.Deletions != 2 {
		t.Errorf("caller %v", w)
	}
	if w := s.WER[agent]; w.RefWords != 3 || w.Errors() != 1 { // goodbye heard as uh
		t.Errorf("agent %v", w)
	}
	if len(s.ServerFinalMS) != 4 {
		t.Errorf("server latencies %v", s.ServerFinalMS)
	}
	// Client latency: arrival minus when the end of speech went out; for
	// the split clip the first part ended at its own end.
	want := []float64{1000, 700, 1000}
	if len(s.ClientFinalMS) != len(want) {
		t.Fatalf("client latencies %v, want %v", s.ClientFinalMS, want)
	}
	for i := range want {
		if math.Abs(s.ClientFinalMS[i]-want[i]) > 1e-6 {
			t.Errorf("client latency %d = %v, want %v", i, s.ClientFinalMS[i], want[i])
		}
	}
	// First partials: 1.5 - 0.5 and 3.5 - 2.5 seconds.
	fp := Summarise(s.FirstPartial)
	if fp.Count != 2 || math.Abs(fp.P50-1000) > 1e-6 || math.Abs(fp.Max-1000) > 1e-6 {
		t.Errorf("first partials %v", s.FirstPartial)
	}
	if math.Abs(s.SpeechSec-6) > 1e-9 {
		t.Errorf("speech %.2f s, want 6", s.SpeechSec)
	}
}

func TestScoreSpanningFinal(t *testing.T) {
	// One committed segment over two utterances of a track covers both.
	call := Call{Truth: []Truth{
		{Track: caller, Clip: "c1", Ref: "alpha beta", Start: 1, End: 3},
		{Track: caller, Clip: "c2", Ref: "gamma", Start: 4.5, End: 5.5},
		{Track: caller, Clip: "c3", Ref: "delta", Start: 9, End: 10},
	}}
	s := Score(call, []Arrival{final(7, caller, "seg-1", "alpha beta gamma", 0.8, 5.6, 0)})
	if len(s.Missing) != 1 || s.Missing[0] != "inbound:c3" {
		t.Errorf("missing %v", s.Missing)
	}
	if len(s.ServerFinalMS) != 0 || len(s.ClientFinalMS) != 1 {
		t.Errorf("latencies %v %v", s.ServerFinalMS, s.ClientFinalMS)
	}
}
