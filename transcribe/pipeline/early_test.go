package pipeline

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/transcribe"
	"github.com/callscribe/callscribe/transcribe/adapt"
)

// sentences decodes like countingDecoder, but a final (or a speculative
// one: both retry loops) ends with a full stop, as Whisper writes a
// finished sentence. It records the options of every final decode.
type sentences struct {
	mu   *sync.Mutex
	opts *[]transcribe.Options
}

func (d sentences) Decode(ctx context.Context, s []float32, o transcribe.Options) (transcribe.Result, error) {
	res, err := countingDecoder{}.Decode(ctx, s, o)
	if o.RetryLoops && err == nil && len(res.Segments) > 0 {
		res.Segments[0].Text += "."
		d.mu.Lock()
		*d.opts = append(*d.opts, o)
		d.mu.Unlock()
	}
	return res, err
}

func (sentences) Close() error { return nil }

func newSentences() sentences {
	return sentences{mu: &sync.Mutex{}, opts: new([]transcribe.Options)}
}

// waitFinals waits until rec holds n finals.
func waitFinals(t *testing.T, rec *recorder, n int) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(time.Millisecond) {
		got := 0
		for _, e := range rec.snapshot() {
			if e.IsFinal {
				got++
			}
		}
		if got >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d finals, want %d", got, n)
		}
	}
}

// TestFinishedSentenceEndsItsUtteranceEarly: two stretches of speech with
// a 400 ms pause between them, shorter than the 700 ms that end an
// utterance. The pause's speculative final reads as a finished sentence,
// so 300 ms of silence end the first utterance and its final leaves
// during the pause; with EarlyEnd off the two stretches are one utterance.
func TestFinishedSentenceEndsItsUtteranceEarly(t *testing.T) {
	cs := clips(t)
	first := cs["jfk"][:2*transcribe.SampleRate]
	pause := make([]float32, 2*transcribe.SampleRate/5)
	second := cs["LJ001-0001"][:2*transcribe.SampleRate]
	tail := make([]float32, 3*transcribe.SampleRate/2)

	run := func(earlyEnd time.Duration) []event.Event {
		dec := newSentences()
		pool, err := transcribe.NewPool(func() (transcribe.Decoder, error) { return dec, nil }, transcribe.PoolConfig{Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		defer pool.Close()
		tx, err := New(Config{EarlyEnd: earlyEnd, Logger: quiet()}, pool, loadVAD(t))
		if err != nil {
			t.Fatal(err)
		}
		var rec recorder
		sink, err := tx.OpenTrack(context.Background(), trackInfo("early"), rec.emit)
		if err != nil {
			t.Fatal(err)
		}
		feedAll(t, sink, 0, first)
		feedAll(t, sink, int64(len(first)), pause)
		if earlyEnd >= 0 {
			// The audio stops here: only the early end can bring a final.
			waitFinals(t, &rec, 1)
		}
		at := int64(len(first) + len(pause))
		feedAll(t, sink, at, second)
		feedAll(t, sink, at+int64(len(second)), tail)
		closeWithin(t, sink, time.Minute)
		var finals []event.Event
		for _, e := range rec.snapshot() {
			if e.IsFinal {
				finals = append(finals, e)
			}
		}
		return finals
	}

	early := run(0) // the default, 300 ms
	if len(early) != 2 || !strings.HasSuffix(early[0].Text, ".") {
		t.Fatalf("with early ends: %d finals %+v, want two", len(early), early)
	}
	if end := early[0].End; end < 1.9 || end > 2.4 {
		t.Errorf("first final ends at %.2f s, want at the pause (2.0 s plus the pad)", end)
	}
	if late := run(-1); len(late) != 1 {
		t.Errorf("without early ends: %d finals, want one across the short pause", len(late))
	}
}

// TestFinalsSpendWhatTheLoadAllows: on an idle pool of two workers a
// final decodes alone, with beam 5 on both cores; a beam the operator
// pinned holds.
func TestFinalsSpendWhatTheLoadAllows(t *testing.T) {
	for _, c := range []struct {
		name      string
		pinned    adapt.Config
		beam, thr int
	}{
		{"idle pool", adapt.Config{}, 5, 2},
		{"pinned", adapt.Config{BeamSize: 1, Threads: 1}, 1, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			dec := newSentences()
			pool, err := transcribe.NewPool(func() (transcribe.Decoder, error) { return dec, nil }, transcribe.PoolConfig{Workers: 2})
			if err != nil {
				t.Fatal(err)
			}
			defer pool.Close()
			tx, err := New(Config{Adapt: c.pinned, DisableSpeculation: true, Logger: quiet()}, pool, loadVAD(t))
			if err != nil {
				t.Fatal(err)
			}
			var rec recorder
			sink, err := tx.OpenTrack(context.Background(), trackInfo("load"), rec.emit)
			if err != nil {
				t.Fatal(err)
			}
			feedAll(t, sink, 0, utterances(t, "jfk"))
			closeWithin(t, sink, time.Minute)
			dec.mu.Lock()
			defer dec.mu.Unlock()
			if len(*dec.opts) != 1 {
				t.Fatalf("%d final decodes, want 1", len(*dec.opts))
			}
			if o := (*dec.opts)[0]; o.BeamSize != c.beam || o.Threads != c.thr {
				t.Errorf("final decoded with beam %d on %d threads, want %d and %d", o.BeamSize, o.Threads, c.beam, c.thr)
			}
		})
	}
}
