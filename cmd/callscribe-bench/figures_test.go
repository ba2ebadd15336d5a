package main

import (
	"math"
	"testing"

	"github.com/callscribe/callscribe/transcribe/wer"
)

func TestSummaryTalliesPerTrack(t *testing.T) {
	// Two calls: WER is errors over words summed per track, not a mean of
	// the calls' rates; a refused call counts but scores nothing.
	b := Batch{
		Calls: []CallResult{{Index: 0}, {Index: 1}, {Index: 2, Refused: true}},
		Scores: []CallScore{
			{WER: map[string]wer.Result{caller: {RefWords: 10, Substitutions: 1}, agent: {RefWords: 10}},
				ServerFinalMS: []float64{100, 200}, ClientFinalMS: []float64{150}, Partials: 4, Expected: 2, SpeechSec: 4},
			{WER: map[string]wer.Result{caller: {RefWords: 90, Deletions: 1}, agent: {RefWords: 30, Insertions: 3}},
				ServerFinalMS: []float64{300}, Partials: 2, Expected: 2, Missing: []string{"inbound:x"}, SpeechSec: 2},
			{},
		},
		AudioSec: 80, CPUSec: 40, RSSBefore: 100, RSSPeak: 160, HWM: 170,
	}
	b.GoroutinesPeak, b.PartialsDropped = 40, 3
	f := Summary(3, []Batch{b}, 250)
	if f.Calls != 3 || f.Refused != 1 {
		t.Errorf("calls %d refused %d", f.Calls, f.Refused)
	}
	if w := f.WER[caller]; w.RefWords != 100 || w.Errors != 2 || math.Abs(w.WER-0.02) > 1e-9 {
		t.Errorf("caller %+v", w)
	}
	if w := f.WER[agent]; w.RefWords != 40 || w.Errors != 3 {
		t.Errorf("agent %+v", w)
	}
	if w := f.WER["all"]; w.RefWords != 140 || w.Errors != 5 {
		t.Errorf("all %+v", w)
	}
	if f.FinalServerMS.Count != 3 || f.FinalServerMS.Max != 300 || f.FinalClientMS.Count != 1 {
		t.Errorf("latency %+v %+v", f.FinalServerMS, f.FinalClientMS)
	}
	if f.FinalsExpected != 4 || f.FinalsMissing != 1 || f.Missing[0] != "call1/inbound:x" {
		t.Errorf("finals %d/%d %v", f.FinalsMissing, f.FinalsExpected, f.Missing)
	}
	if f.FinalsLate != 1 || f.SpeechSec != 6 || f.GoroutinesPeak != 40 || f.PartialsDropped != 3 {
		t.Errorf("late %d, speech %v s, goroutines %d, dropped %d", f.FinalsLate, f.SpeechSec, f.GoroutinesPeak, f.PartialsDropped)
	}
	if f.PartialsPerSpeechSec != 1 || f.PartialsPerUtterance != 1.5 {
		t.Errorf("partial rate %v/s, %v/utterance", f.PartialsPerSpeechSec, f.PartialsPerUtterance)
	}
	if f.CPUPerAudioSec != 0.5 || f.PeakRSSMiB != 170 || f.RSSPerCallMiB != 20 {
		t.Errorf("server: %v CPU-s/s, peak %v, per call %v", f.CPUPerAudioSec, f.PeakRSSMiB, f.RSSPerCallMiB)
	}
}
