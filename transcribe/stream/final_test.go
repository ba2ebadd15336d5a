package stream

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/callscribe/callscribe/transcribe"
)

func TestFinalExactlyOncePerUtterance(t *testing.T) {
	type span struct {
		id         string
		start, end float64
	}
	cases := []struct {
		name   string
		config func(*Config)
		script func(t *testing.T, p *UtterancePolicy) []DecodeRequest
		want   []span
	}{{
		name: "speech end, then a repeated end and a flush",
		script: func(t *testing.T, p *UtterancePolicy) []DecodeRequest {
			t.Helper()
			feed(p, 0, 0.5)
			reqs := mustStart(t, p, pos(0.2))
			reqs = append(reqs, feed(p, 0.5, 2.2)...)
			end, err := p.OnSpeechEnd(pos(0.2), pos(1.6), wall(2.2))
			reqs = append(reqs, end...)
			again, errAgain := p.OnSpeechEnd(pos(0.2), pos(1.6), wall(2.2))
			if err != nil || !errors.Is(errAgain, ErrNotSpeaking) || len(again) != 0 {
				t.Errorf("ends: %v, then %v with %v", err, errAgain, summary(again))
			}
			return append(reqs, p.Flush(wall(3))...)
		},
		want: []span{{"in-1", 0.2, 1.6}},
	}, {
		name: "hang-up mid-utterance, then the segmenter's late end",
		script: func(t *testing.T, p *UtterancePolicy) []DecodeRequest {
			t.Helper()
			reqs := append(feed(p, 0, 0.5), mustStart(t, p, pos(0.1))...)
			reqs = append(reqs, feed(p, 0.5, 2.5)...)
			reqs = append(reqs, p.Flush(wall(2.5))...)
			if late, err := p.OnSpeechEnd(pos(0.1), pos(2.5), wall(2.6)); !errors.Is(err, ErrNotSpeaking) || len(late) != 0 {
				t.Errorf("late end after flush: %v, %v", summary(late), err)
			}
			return append(reqs, p.Flush(wall(2.7))...)
		},
		want: []span{{"in-1", 0.1, 2.5}},
	}, {
		name: "flush between utterances requests nothing",
		script: func(t *testing.T, p *UtterancePolicy) []DecodeRequest {
			t.Helper()
			return append(feed(p, 0, 1), p.Flush(wall(1))...)
		},
	}, {
		name:   "split at MaxUtterance, rest at hang-up",
		config: func(c *Config) { c.MaxUtterance = 5 * time.Second },
		script: func(t *testing.T, p *UtterancePolicy) []DecodeRequest {
			t.Helper()
			reqs := mustStart(t, p, 0)
			reqs = append(reqs, feed(p, 0, 12)...)
			return append(reqs, p.Flush(wall(12))...)
		},
		want: []span{{"in-1", 0, 5}, {"in-2", 5, 10}, {"in-3", 10, 12}},
	}, {
		name:   "a gap too long to fill splits at the gap",
		config: func(c *Config) { c.MaxUtterance = 5 * time.Second },
		script: func(t *testing.T, p *UtterancePolicy) []DecodeRequest {
			t.Helper()
			reqs := mustStart(t, p, 0)
			reqs = append(reqs, feed(p, 0, 1)...)
			reqs = append(reqs, feed(p, 10, 10.5)...)
			return append(reqs, p.Flush(wall(11))...)
		},
		want: []span{{"in-1", 0, 1}, {"in-2", 10, 10.5}},
	}, {
		name: "an utterance with no audio requests nothing",
		script: func(t *testing.T, p *UtterancePolicy) []DecodeRequest {
			t.Helper()
			reqs := append(feed(p, 0, 1), mustStart(t, p, pos(5))...)
			end, err := p.OnSpeechEnd(pos(5), pos(6), wall(1))
			if err != nil || p.Stats().EmptyUtterances != 1 {
				t.Errorf("end: %v, stats %+v", err, p.Stats())
			}
			return append(reqs, end...)
		},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := newPolicy(t, c.config)
			var got []span
			for _, r := range c.script(t, p) {
				if r.Kind != transcribe.Final {
					continue
				}
				got = append(got, span{r.UtteranceID, r.Start, r.End})
				if want := pos(r.End) - pos(r.Start); int64(len(r.Samples)) != want || r.Samples[0] != float32(pos(r.Start)) {
					t.Errorf("%s: %d samples starting with %v, want %d from %v", r.UtteranceID, len(r.Samples), r.Samples[0], want, pos(r.Start))
				}
			}
			if len(got) != len(c.want) {
				t.Fatalf("finals %v, want %v", got, c.want)
			}
			for i := range got {
				if got[i].id != c.want[i].id || !near(got[i].start, c.want[i].start) || !near(got[i].end, c.want[i].end) {
					t.Errorf("final %d = %v, want %v", i, got[i], c.want[i])
				}
			}
			if st := p.Stats(); st.FinalRequests != len(c.want) {
				t.Errorf("FinalRequests %d, want %d", st.FinalRequests, len(c.want))
			}
		})
	}
}

func TestGapMidUtteranceIsFilledWithSilence(t *testing.T) {
	p := newPolicy(t, nil)
	mustStart(t, p, 0)
	feed(p, 0, 1)
	feed(p, 1.5, 2)
	fin := only(t, p.Flush(wall(2)), transcribe.Final)
	if len(fin.Samples) != int(pos(2)) || fin.Samples[pos(1.2)] != 0 || fin.Samples[pos(1.7)] != float32(pos(1.7)) {
		t.Errorf("final of %d samples, 1.2 s = %v, 1.7 s = %v; want 2 s with silence in the gap", len(fin.Samples), fin.Samples[pos(1.2)], fin.Samples[pos(1.7)])
	}
	if got := p.Stats().GapSamples; got != pos(0.5) {
		t.Errorf("GapSamples %d, want %d", got, pos(0.5))
	}
}

func TestBoundaryErrors(t *testing.T) {
	p := newPolicy(t, nil)
	feed(p, 0, 1)
	mustStart(t, p, pos(0.2))
	if _, err := p.OnSpeechStart(pos(0.5), wall(1)); !errors.Is(err, ErrAlreadySpeaking) {
		t.Errorf("second start: %v, want ErrAlreadySpeaking", err)
	}
	if _, err := p.OnSpeechEnd(pos(0.9), pos(0.5), wall(1)); !errors.Is(err, ErrOutOfOrder) {
		t.Errorf("end before start: %v, want ErrOutOfOrder", err)
	}
	if !p.Speaking() {
		t.Fatal("a rejected boundary closed the utterance")
	}
	if _, err := p.OnSpeechEnd(pos(0.2), pos(0.8), wall(1)); err != nil {
		t.Fatal(err)
	}
	if _, err := p.OnSpeechStart(pos(0.7), wall(1)); !errors.Is(err, ErrOutOfOrder) {
		t.Errorf("start before the last end: %v, want ErrOutOfOrder", err)
	}
}

func TestFinalResultIsTakenOnce(t *testing.T) {
	p := newPolicy(t, nil)
	fin := utter(t, p, 0.5, 2)
	got, ok := p.OnFinalResult(fin.UtteranceID, words(0.1, "hello there"), wall(3))
	if !ok || got.Text != "hello there" || got.UtteranceID != "in-1" || got.Track != "in" || !got.SpeechEndAt.Equal(wall(2.6)) {
		t.Fatalf("final = %+v, %v", got, ok)
	}
	if _, ok := p.OnFinalResult(fin.UtteranceID, words(0.1, "hello there"), wall(3)); ok {
		t.Error("a second answer for the same utterance was emitted")
	}
	fin2 := utter(t, p, 3, 4)
	p.OnDecodeFailed(fin2)
	if _, ok := p.OnFinalResult(fin2.UtteranceID, words(0, "given up"), wall(5)); ok {
		t.Error("the result of a final given up was emitted")
	}
	if st := p.Stats(); st.Finals != 1 || st.FinalsStale != 2 || st.FinalsFailed != 1 || st.FinalWait != 400*time.Millisecond {
		t.Errorf("stats %+v: want 1 final, 2 stale, 1 failed, 0.4 s waited", st)
	}
}

func TestFinalReplacesThePartialView(t *testing.T) {
	p := newPolicy(t, nil)
	feed(p, 0, 2)
	part := only(t, mustStart(t, p, 0), transcribe.Partial)
	p.OnPartialResult(part.UtteranceID, words(0, "I want to go"), wall(2))
	p.OnPartialResult(part.UtteranceID, words(0, "I want to go"), wall(2))
	fin := only(t, p.Flush(wall(2)), transcribe.Final)
	if fin.UtteranceID != part.UtteranceID {
		t.Fatalf("final %s, partials %s: one utterance, one ID", fin.UtteranceID, part.UtteranceID)
	}
	// A partial answered after the final was requested is not shown.
	if _, ok := p.OnPartialResult(part.UtteranceID, words(0, "I want to go home"), wall(2.1)); ok {
		t.Error("partial shown after the utterance's final was requested")
	}
	got, ok := p.OnFinalResult(fin.UtteranceID, words(0, "I'd like to leave."), wall(2.5))
	if !ok || got.Text != "I'd like to leave." {
		t.Errorf("final %q, %v: the final decode's text, even against the stable words", got.Text, ok)
	}
}

func TestFinalOptions(t *testing.T) {
	p := newPolicy(t, func(c *Config) { c.FinalBeamSize = 3; c.FinalAudioCtx = transcribe.AudioCtxAuto; c.Language = "de" })
	fin := utter(t, p, 0.5, 2)
	want := transcribe.Options{Language: "de", BeamSize: 3, AudioCtx: transcribe.AudioCtxAuto, RetryLoops: true}
	if fin.Options != want {
		t.Errorf("final options %+v, want %+v (fallback and loop retry on, no prompt yet)", fin.Options, want)
	}
}

func TestDroppedFinalIsCountedAndSaysWhy(t *testing.T) {
	p := newPolicy(t, nil)
	fin := utter(t, p, 0.5, 2)
	got, ok := p.OnFinalResult(fin.UtteranceID, words(0, "[BLANK_AUDIO]"), wall(3))
	if ok || got.Dropped != DropAnnotation || got.UtteranceID != "in-1" {
		t.Errorf("final %+v, %v: want it dropped as an annotation", got, ok)
	}
	if st := p.Stats(); st.FinalsDropped.Annotation != 1 || st.FinalsDropped.Total() != 1 || st.Finals != 0 {
		t.Errorf("stats %+v", st)
	}
}

// TestSpeculateMatchesTheFinal: during a pause the policy hands out the
// request the utterance's end will bring, without ending the utterance:
// same ID, span, samples and options, only the kind differs. Outside an
// utterance, or past the audio pushed, there is nothing to speculate on.
func TestSpeculateMatchesTheFinal(t *testing.T) {
	p := newPolicy(t, nil)
	if _, ok := p.Speculate(pos(0.5)); ok {
		t.Error("speculated before any utterance")
	}
	feed(p, 0, 0.5)
	mustStart(t, p, pos(0.2))
	feed(p, 0.5, 2.0)
	if _, ok := p.Speculate(pos(2.5)); ok {
		t.Error("speculated past the audio pushed")
	}
	spec, ok := p.Speculate(pos(1.6))
	if !ok || spec.Kind != transcribe.Speculative || !p.Speaking() {
		t.Fatalf("speculate: %v %v, speaking %v", spec.Kind, ok, p.Speaking())
	}
	feed(p, 2.0, 2.4)
	fin, err := p.OnSpeechEnd(pos(0.2), pos(1.6), wall(2.4))
	if err != nil || len(fin) != 1 {
		t.Fatalf("end: %v %v", summary(fin), err)
	}
	f := fin[0]
	if f.Kind != transcribe.Final || f.UtteranceID != spec.UtteranceID || f.Start != spec.Start || f.End != spec.End ||
		f.Options != spec.Options || !slices.Equal(f.Samples, spec.Samples) {
		t.Errorf("final %s %.2f..%.2f %+v (%d samples) differs from the speculation %s %.2f..%.2f %+v (%d samples)",
			f.UtteranceID, f.Start, f.End, f.Options, len(f.Samples), spec.UtteranceID, spec.Start, spec.End, spec.Options, len(spec.Samples))
	}
	if st := p.Stats(); st.Speculations != 1 || st.FinalRequests != 1 {
		t.Errorf("stats: %d speculations, %d final requests", st.Speculations, st.FinalRequests)
	}
	if _, ok := p.Speculate(pos(2.0)); ok {
		t.Error("speculated between utterances")
	}
}
