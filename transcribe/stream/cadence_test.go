package stream

import (
	"testing"

	"github.com/callscribe/callscribe/transcribe"
)

func TestPartialCadence(t *testing.T) {
	// Speech starts at 0.1 s; the segmenter reports it at 0.5 s.
	steps := []struct {
		name    string
		answer  bool    // answer the partial in flight first
		feedTo  float64 // then push audio up to this second
		wantEnd float64 // End of the partial requested, 0 for none
	}{
		{"0.78 s of speech is not enough", false, 0.88, 0},
		{"0.8 s of new speech asks", false, 0.90, 0.90},
		{"none while one is in flight", false, 3.00, 0},
		{"resumes at once after the result", true, 3.02, 3.02},
		{"then waits for 0.8 s more", true, 3.60, 0},
		{"and asks again", false, 3.82, 3.82},
	}
	p := newPolicy(t, nil)
	feed(p, 0, 0.5)
	if reqs, err := p.OnSpeechStart(pos(0.1), wall(0.5)); err != nil || len(reqs) != 0 {
		t.Fatalf("OnSpeechStart = %v, %v; want no request yet", summary(reqs), err)
	}
	at := 0.5
	for _, s := range steps {
		if s.answer {
			if _, ok := p.OnPartialResult("in-1", words(0, "hello there"), wall(at)); !ok {
				t.Fatalf("%s: the answer to the partial in flight was not taken", s.name)
			}
		}
		reqs := feed(p, at, s.feedTo)
		at = s.feedTo
		if s.wantEnd == 0 {
			if len(reqs) != 0 {
				t.Fatalf("%s: got %v, want no request", s.name, summary(reqs))
			}
			continue
		}
		r := only(t, reqs, transcribe.Partial)
		if len(reqs) != 1 || r.UtteranceID != "in-1" || !near(r.Start, 0.1) || !near(r.End, s.wantEnd) {
			t.Fatalf("%s: got %+v [%v, %v], want one partial of in-1 over [0.1, %v]", s.name, summary(reqs), r.Start, r.End, s.wantEnd)
		}
		if want := pos(s.wantEnd) - pos(0.1); int64(len(r.Samples)) != want || r.Samples[0] != float32(pos(0.1)) {
			t.Fatalf("%s: %d samples from %v, want %d from the utterance start", s.name, len(r.Samples), r.Samples[0], want)
		}
	}
	if st := p.Stats(); st.PartialRequests != 3 || st.Partials != 2 {
		t.Errorf("stats: %d requests, %d partials; want 3 and 2", st.PartialRequests, st.Partials)
	}
}

func TestPartialOptionsAreCheap(t *testing.T) {
	p := newPolicy(t, func(c *Config) { c.Language = "en"; c.Threads = 2 })
	feed(p, 0, 1)
	reqs, err := p.OnSpeechStart(0, wall(1))
	if err != nil {
		t.Fatal(err)
	}
	got := only(t, reqs, transcribe.Partial).Options
	want := transcribe.Options{Language: "en", Threads: 2, BeamSize: 1, AudioCtx: transcribe.AudioCtxAuto, SingleSegment: true, NoFallback: true}
	if got != want {
		t.Errorf("partial options %+v, want %+v", got, want)
	}
}

func TestPartialInFlightIsFreedByFailureOrTimeout(t *testing.T) {
	p := newPolicy(t, nil)
	reqs, _ := p.OnSpeechStart(0, wall(0))
	reqs = append(reqs, feed(p, 0, 1)...)
	first := only(t, reqs, transcribe.Partial)

	if !near(first.End, 0.8) {
		t.Fatalf("first partial ends at %v, want 0.8", first.End)
	}

	// The pool dropped it: the next 0.8 s of speech asks again.
	p.OnDecodeFailed(first)
	only(t, feed(p, 1, 1.6), transcribe.Partial)

	// This one is never answered: nothing until PartialTimeout (3 s)
	// has passed on the wall clock since it was sent at 1.6 s, whatever
	// the audio does.
	if reqs := p.Push(pos(1.6), make([]float32, pos(5)), wall(4.5)); len(reqs) != 0 {
		t.Fatalf("asked again %v while a partial was in flight", summary(reqs))
	}
	only(t, p.Push(pos(6.6), make([]float32, chunk), wall(4.7)), transcribe.Partial)
	if st := p.Stats(); st.PartialsFailed != 1 || st.PartialTimeouts != 1 || st.PartialRequests != 3 {
		t.Errorf("stats %+v: want 1 failed, 1 timeout, 3 requests", st)
	}
}

func TestStalePartialResultsAreIgnored(t *testing.T) {
	p := newPolicy(t, nil)
	p.OnSpeechStart(0, wall(0))
	only(t, feed(p, 0, 1), transcribe.Partial)
	if _, err := p.OnSpeechEnd(0, pos(1), wall(1)); err != nil {
		t.Fatal(err)
	}
	// The partial of in-1 comes back after its speech ended.
	if part, ok := p.OnPartialResult("in-1", words(0, "too late"), wall(1.1)); ok {
		t.Fatalf("partial of an ended utterance shown: %+v", part)
	}
	// A new utterance is open; in-1's result still does not belong to it.
	p.OnSpeechStart(pos(2), wall(2))
	only(t, feed(p, 1, 3), transcribe.Partial)
	if _, ok := p.OnPartialResult("in-1", words(0, "still late"), wall(3)); ok {
		t.Fatal("an old utterance's partial was shown during the next one")
	}
	if _, ok := p.OnPartialResult("nobody-7", words(0, "who"), wall(3)); ok {
		t.Fatal("a partial of an unknown utterance was shown")
	}
	part, ok := p.OnPartialResult("in-2", words(0, "fresh words"), wall(3))
	if !ok || part.UtteranceID != "in-2" || part.Text != "fresh words" {
		t.Fatalf("current partial = %+v, %v", part, ok)
	}
	if st := p.Stats(); st.PartialsStale != 3 || st.Partials != 1 {
		t.Errorf("stats: %d stale, %d partials; want 3 and 1", st.PartialsStale, st.Partials)
	}
}

func TestSpeechStartUsesPreRoll(t *testing.T) {
	p := newPolicy(t, nil) // PreRoll 2 s, so 2-4 s of silence is kept
	feed(p, 0, 10)
	reqs, err := p.OnSpeechStart(pos(9), wall(10))
	if err != nil {
		t.Fatal(err)
	}
	if r := only(t, reqs, transcribe.Partial); !near(r.Start, 9) || r.Samples[0] != float32(pos(9)) {
		t.Errorf("partial starts at %v with sample %v, want the audio at 9 s", r.Start, r.Samples[0])
	}
	p.Flush(wall(10))
	feed(p, 10, 20)
	p.OnSpeechStart(pos(11), wall(20)) // long gone
	fin := only(t, p.Flush(wall(20)), transcribe.Final)
	if st := p.Stats(); st.PreRollShort != 1 || fin.Start < 16 {
		t.Errorf("start %v, PreRollShort %d: want the oldest kept audio (16-18 s) and a count", fin.Start, st.PreRollShort)
	}
}
