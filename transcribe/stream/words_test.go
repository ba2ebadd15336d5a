package stream

import (
	"testing"

	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/transcribe"
)

func TestCallWords(t *testing.T) {
	res := transcribe.Result{Segments: []transcribe.Segment{{Tokens: []transcribe.Token{
		{Text: " Hel", Start: -0.05, End: 0.2, P: 0.9},
		{Text: "lo", Start: 0.2, End: 0.4, P: 0.6},
		{Text: " there", Start: 0.5, End: 0.9, P: 0.8},
		{Text: ".", Start: 0.9, End: 0.9, P: 0.99},
		{Text: " friend", Start: 1.4, End: 1.7, P: 0.7},
	}}}}
	// The clip starts at 12 s of call time; the utterance ends at 13.5 s.
	got := CallWords(res, 12, 12, 13.5)
	want := []event.Word{
		{Word: "Hello", Start: 12, End: 12.4, Confidence: 0.6}, // starts before the clip: clamped
		{Word: "there.", Start: 12.5, End: 12.9, Confidence: 0.8},
		{Word: "friend", Start: 13.4, End: 13.5, Confidence: 0.7}, // overshoots the end: clamped
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Word != w.Word || !near(g.Start, w.Start) || !near(g.End, w.End) || g.Confidence-w.Confidence > 1e-6 || w.Confidence-g.Confidence > 1e-6 {
			t.Errorf("word %d = %+v, want %+v", i, g, w)
		}
	}
	if CallWords(transcribe.Result{}, 0, 0, 1) != nil {
		t.Error("words from an empty result")
	}
}

func TestFinalWordsAreInCallTime(t *testing.T) {
	p := newPolicy(t, nil)
	fin := utter(t, p, 20, 21.5)
	res := words(0.1, "right away")     // clip 0.1-0.35 and 0.4-0.65
	res.Segments[0].Tokens[1].End = 1.9 // past the 1.5 s clip
	got, ok := p.OnFinalResult(fin.UtteranceID, res, wall(22))
	if !ok || len(got.Words) != 2 {
		t.Fatalf("final %+v, %v", got, ok)
	}
	if w := got.Words[0]; !near(w.Start, 20.1) || !near(w.End, 20.35) {
		t.Errorf("first word %+v, want 20.1-20.35", w)
	}
	if w := got.Words[1]; !near(w.Start, 20.4) || !near(w.End, 21.5) {
		t.Errorf("second word %+v, want 20.4 clamped to the end at 21.5", w)
	}
	if !near(got.Start, 20) || !near(got.End, 21.5) || got.Confidence < 0.899 || got.Confidence > 0.901 {
		t.Errorf("final span %v-%v confidence %v, want 20-21.5 and 0.9", got.Start, got.End, got.Confidence)
	}
}

func TestEvents(t *testing.T) {
	f := Final{Track: "inbound", UtteranceID: "inbound-3", Text: "ok then", Start: 1, End: 2, Confidence: 0.8, SpeechEndAt: wall(2.6)}
	e := f.Event(wall(3.1))
	if e.Type != event.Transcript || !e.IsFinal || e.LatencyMS != 500 || e.UtteranceID != "inbound-3" || e.Track != "inbound" || e.Text != "ok then" {
		t.Errorf("final event %+v", e)
	}
	pe := Partial{Track: "inbound", UtteranceID: "inbound-4", Text: "ok the", StableText: "ok", Start: 3, End: 4}.Event()
	if pe.IsFinal || pe.StableText != "ok" || pe.Text != "ok the" || pe.UtteranceID != "inbound-4" {
		t.Errorf("partial event %+v", pe)
	}
}
