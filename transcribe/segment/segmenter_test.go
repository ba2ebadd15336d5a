package segment

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

// TestForcedSplitAtQuietestPoint: 1 s maximum, 300 ms search. Speech from
// 100 ms (utterance from 80 ms with padding) reaches the maximum at 1080 ms;
// the quietest window in 780-1080 ms is 800-810 ms, so the cut is at 805. A
// quieter window at 400 ms lies outside the search and must not be used.
func TestForcedSplitAtQuietestPoint(t *testing.T) {
	in := windows(0, sil(10), sp(30), run{1, 0.9, 0.0001}, sp(39), run{1, 0.6, 0.002}, sp(69), sil(20))
	got := feed(t, testConfig(), in, false)
	want := []Event{start{80}, end{80, 805, true}, start{805}, end{805, 1520, false}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("events\n got %v\nwant %v", got, want)
	}
}

// TestForcedSplitRepeats: 3.5 s of flat speech gives cuts no more than
// MaxUtterance apart, and pieces that tile the utterance without gaps.
func TestForcedSplitRepeats(t *testing.T) {
	got := feed(t, testConfig(), windows(0, sp(350)), true)
	var prevEnd int64
	for i := 0; i < len(got); i += 2 {
		s, e := got[i].(SpeechStart), got[i+1].(SpeechEnd)
		if s.At != prevEnd || e.Start != s.At || e.End-e.Start > 1000 || e.End <= e.Start {
			t.Fatalf("piece %d: %v %v after end %d", i/2, s, e, prevEnd)
		}
		prevEnd = e.End
	}
	if len(got) < 8 || prevEnd != 3500 {
		t.Errorf("want at least 4 pieces ending at 3500, got %v", got)
	}
}

// TestMaxLengthWhileTrailing: speech stops at 1060 ms, and the maximum comes
// at 1080 ms before MinSilence has passed; the utterance ends at the padded
// end of speech (1080), and speech resuming at once starts no earlier than
// that although its own padding would reach back to 1060.
func TestMaxLengthWhileTrailing(t *testing.T) {
	in := windows(0, sil(10), sp(96), sil(2), sp(10))
	got := feed(t, testConfig(), in, true)
	want := []Event{start{80}, end{80, 1080, true}, start{1080}, end{1080, 1180, false}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("events\n got %v\nwant %v", got, want)
	}
}

func TestIgnoredWindows(t *testing.T) {
	in := windows(0, sil(10), sp(10))
	in = append(in, Window{Start: 150, Samples: 10, Prob: 0.01}, Window{Start: 200, Samples: 0, Prob: 0.01})
	in = append(in, windows(200, sil(20))...)
	got := feed(t, testConfig(), in, false)
	want := []Event{start{80}, end{80, 220, false}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("overlapping and empty windows changed the result: %v", got)
	}
}

// TestGapCountsAsSilence: audio missing from 200 to 400 ms ends the
// utterance at the first window after the gap.
func TestGapCountsAsSilence(t *testing.T) {
	in := append(windows(0, sil(10), sp(10)), windows(400, sil(1))...)
	got := feed(t, testConfig(), in, false)
	want := []Event{start{80}, end{80, 220, false}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("events\n got %v\nwant %v", got, want)
	}
}

func TestFlushDropsCandidate(t *testing.T) {
	s, _ := New(testConfig())
	var ev []Event
	for _, w := range windows(0, sil(10), sp(3)) {
		ev = s.Push(ev, w)
	}
	ev = s.Flush(ev)
	// Two more speech windows would have completed MinSpeech had the
	// candidate survived the flush.
	for _, w := range windows(130, sp(2)) {
		ev = s.Push(ev, w)
	}
	if len(ev) != 0 || s.InSpeech() {
		t.Errorf("candidate survived Flush: %v", ev)
	}
}

func TestResetForgetsTrack(t *testing.T) {
	s, _ := New(testConfig())
	for _, w := range windows(0, sil(10), sp(10)) {
		s.Push(nil, w)
	}
	if !s.InSpeech() {
		t.Fatal("not in speech after 100 ms of speech")
	}
	s.Reset()
	if s.InSpeech() {
		t.Fatal("still in speech after Reset")
	}
	// A new track may start at an earlier position than the old one ended.
	var got []Event
	for _, w := range windows(0, sp(10), sil(20)) {
		got = s.Push(got, w)
	}
	if want := []Event{start{0}, end{0, 120, false}}; !reflect.DeepEqual(got, want) {
		t.Errorf("after Reset: %v, want %v", got, want)
	}
}

// TestDefaultsAt16kHz checks the millisecond rules against 32 ms windows:
// 250 ms of speech needs 8 windows (7 are 224 ms), 600 ms of silence 19.
func TestDefaultsAt16kHz(t *testing.T) {
	vadWindows := func(runs ...run) []Window {
		ws := windows(0, runs...)
		for i := range ws {
			ws[i].Start, ws[i].Samples = int64(i)*512, 512
		}
		return ws
	}
	if got := feed(t, phoneConfig(), vadWindows(sil(20), sp(7), sil(30)), true); len(got) != 0 {
		t.Errorf("224 ms of speech made an utterance: %v", got)
	}
	got := feed(t, phoneConfig(), vadWindows(sil(20), sp(8), sil(18)), false)
	if want := []Event{start{20*512 - 3200}}; !reflect.DeepEqual(got, want) {
		t.Errorf("after 576 ms of silence: %v, want %v", got, want)
	}
	got = feed(t, phoneConfig(), vadWindows(sil(20), sp(8), sil(19)), false)
	if want := []Event{start{20*512 - 3200}, end{20*512 - 3200, 28*512 + 3200, false}}; !reflect.DeepEqual(got, want) {
		t.Errorf("after 608 ms of silence: %v, want %v", got, want)
	}
}

func TestPushAllocatesNothingBetweenEvents(t *testing.T) {
	s, _ := New(phoneConfig())
	events := make([]Event, 0, 8)
	pos := int64(0)
	push := func(prob float32) {
		events = s.Push(events[:0], Window{Start: pos, Samples: 512, Prob: prob, Energy: 0.1})
		pos += 512
	}
	for range 200 { // fill the split history to its working size
		push(0.9)
	}
	if allocs := testing.AllocsPerRun(100, func() { push(0.9) }); allocs != 0 {
		t.Errorf("%v allocations per speech window", allocs)
	}
}

func TestEnergy(t *testing.T) {
	if got := Energy(nil); got != 0 {
		t.Errorf("Energy(nil) = %v", got)
	}
	if got := Energy([]float32{0.5, -0.5, 0, 0}); got != 0.125 {
		t.Errorf("Energy = %v, want 0.125", got)
	}
}

// TestPauseForecastsTheEnd: 1 kHz, 100 ms MinSilence, 20 ms pad. Speech
// 100-400 ms, 50 ms of silence, speech again to 750 ms, then silence. While
// speech is off, Pause reports the end SpeechEnd will carry if the silence
// lasts; when speech resumes it reports nothing; and the SpeechEnd that
// comes is the last forecast.
func TestPauseForecastsTheEnd(t *testing.T) {
	s, err := New(testConfig())
	if err != nil {
		t.Fatal(err)
	}
	if _, _, ok := s.Pause(); ok {
		t.Error("a pause before any speech")
	}
	var events []Event
	var forecast []int64
	for _, w := range windows(0, sil(10), sp(30), sil(5), sp(30), sil(15)) {
		events = s.Push(events, w)
		if end, silence, ok := s.Pause(); ok {
			if silence < 20 || silence >= 100 {
				t.Errorf("at %d: silence %d ms, want within [pad, MinSilence)", w.End(), silence)
			}
			if len(forecast) == 0 || forecast[len(forecast)-1] != end {
				forecast = append(forecast, end)
			}
		}
	}
	if want := []int64{420, 770}; !reflect.DeepEqual(forecast, want) {
		t.Errorf("forecast ends %v, want %v", forecast, want)
	}
	if want := []Event{start{80}, end{80, 770, false}}; !reflect.DeepEqual(events, want) {
		t.Errorf("events %v, want %v", events, want)
	}
	if _, _, ok := s.Pause(); ok {
		t.Error("a pause after the utterance ended")
	}
}

// TestStoppedAndEndPause: 1 kHz, 100 ms MinSilence, 20 ms pad. Speech
// 100-400 ms, then silence. Stopped reports the stop from the first silent
// window; EndPause refuses until the silence covers the pad, then ends the
// utterance where MinSilence would have, and the silence that follows
// brings no second end.
func TestStoppedAndEndPause(t *testing.T) {
	s, err := New(testConfig())
	if err != nil {
		t.Fatal(err)
	}
	var events []Event
	for _, w := range windows(0, sil(10), sp(30)) {
		events = s.Push(events, w)
	}
	if _, _, ok := s.Stopped(); ok {
		t.Fatal("stopped while speaking")
	}
	if _, ok := s.EndPause(nil); ok {
		t.Fatal("ended a pause while speaking")
	}
	events = s.Push(events, windows(400, sil(1))[0])
	at, silence, ok := s.Stopped()
	if !ok || at != 400 || silence != 10 {
		t.Fatalf("Stopped = %d, %d, %v; want 400, 10, true", at, silence, ok)
	}
	if _, ok := s.EndPause(nil); ok {
		t.Fatal("ended before the silence covered the pad")
	}
	events = s.Push(events, windows(410, sil(2))[0])
	events = s.Push(events, windows(420, sil(1))[0])
	events, ok = s.EndPause(events)
	if !ok {
		t.Fatal("EndPause refused with 30 ms of silence")
	}
	for _, w := range windows(430, sil(20)) {
		events = s.Push(events, w)
	}
	if want := []Event{start{80}, end{80, 420, false}}; !reflect.DeepEqual(events, want) {
		t.Errorf("events %v, want %v", events, want)
	}
	if _, _, ok := s.Stopped(); ok {
		t.Error("stopped after the utterance ended")
	}
}

// TestLeadPad: 1 kHz, 100 ms MinSilence, 20 ms pad after speech, 150 ms
// before it. Speech 100-300 ms starts its utterance at the track's start
// (0); the next speech, from 430 ms, would reach back to 280 but starts at
// the first's end (320): padding never takes audio from the utterance
// before.
func TestLeadPad(t *testing.T) {
	cfg := testConfig()
	cfg.LeadPad = 150 * time.Millisecond
	in := windows(0, sil(10), sp(20), sil(13), sp(20), sil(15))
	got := feed(t, cfg, in, false)
	want := []Event{start{0}, end{0, 320, false}, start{320}, end{320, 650, false}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("events\n got %v\nwant %v", got, want)
	}
	cfg.LeadPad = 2 * time.Second
	if _, err := New(cfg); !errors.Is(err, ErrBadConfig) {
		t.Errorf("LeadPad 2s: %v", err)
	}
}
