package pipeline

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/transcribe"
)

// gatedFinals decodes like countingDecoder, but holds finals (the decodes
// with RetryLoops set) until release is closed, and fails the first
// failFirst of them.
type gatedFinals struct {
	release   chan struct{}
	failFirst int32
	finals    *atomic.Int32
}

var errEngineHiccup = errors.New("engine hiccup")

func (d gatedFinals) Decode(ctx context.Context, s []float32, o transcribe.Options) (transcribe.Result, error) {
	if o.RetryLoops {
		if d.finals.Add(1) <= d.failFirst {
			return transcribe.Result{}, errEngineHiccup
		}
		select {
		case <-d.release:
		case <-ctx.Done():
			return transcribe.Result{}, ctx.Err()
		}
	}
	return countingDecoder{}.Decode(ctx, s, o)
}

func (gatedFinals) Close() error { return nil }

// utterances joins the first seconds of each clip, each followed by
// silence, so the segmenter ends one utterance per clip.
func utterances(t *testing.T, names ...string) []float32 {
	t.Helper()
	cs := clips(t)
	var audio []float32
	for _, n := range names {
		c := cs[n]
		audio = append(audio, c[:min(len(c), 2*transcribe.SampleRate)]...)
		audio = append(audio, make([]float32, 3*transcribe.SampleRate/2)...)
	}
	return audio
}

// feedAll writes audio in 20 ms chunks from pos, waiting while the track's
// queue is full as a live call's pace would.
func feedAll(t *testing.T, sink bridge.TrackSink, pos int64, audio []float32) {
	t.Helper()
	for i := 0; i < len(audio); i += 320 {
		chunk := audio[i:min(i+320, len(audio))]
		err := sink.Write(pos+int64(i), chunk)
		for errors.Is(err, ErrOverloaded) {
			time.Sleep(2 * time.Millisecond)
			err = sink.Write(pos+int64(i), chunk)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// closeWithin closes sink and fails the test if Close does not return:
// a deadlocked track never would.
func closeWithin(t *testing.T, sink bridge.TrackSink, d time.Duration) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- sink.Close(context.Background()) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(d):
		t.Fatalf("track did not close within %v: deadlocked", d)
	}
}

func (r *recorder) snapshot() []event.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]event.Event(nil), r.events...)
}

// TestFinalsBackedUpDoNotDeadlockTheTrack fills a track's finals queue
// while the pool holds every final: the finals goroutine then waits to
// hand back results while the track waits for queue space. The track must
// keep taking results while it waits, and every final must arrive.
func TestFinalsBackedUpDoNotDeadlockTheTrack(t *testing.T) {
	release := make(chan struct{})
	var finals atomic.Int32
	pool, err := transcribe.NewPool(func() (transcribe.Decoder, error) {
		return gatedFinals{release: release, finals: &finals}, nil
	}, transcribe.PoolConfig{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	tx, err := New(Config{DisableSpeculation: true, Logger: quiet()}, pool, loadVAD(t))
	if err != nil {
		t.Fatal(err)
	}
	tx.finalsQueue = 1
	var rec recorder
	sink, err := tx.OpenTrack(context.Background(), trackInfo("backlog"), rec.emit)
	if err != nil {
		t.Fatal(err)
	}
	feedAll(t, sink, 0, utterances(t, "jfk", "LJ001-0001", "LJ001-0002", "LJ001-0003", "LJ001-0004", "LJ001-0005", "LJ001-0006"))
	var once sync.Once
	go func() {
		// Let finals pile up behind the first, then let the pool go.
		for finals.Load() < 1 {
			time.Sleep(time.Millisecond)
		}
		time.Sleep(200 * time.Millisecond)
		once.Do(func() { close(release) })
	}()
	closeWithin(t, sink, time.Minute)
	once.Do(func() { close(release) })
	n := 0
	for _, e := range rec.snapshot() {
		if e.IsFinal && e.Text != "" {
			n++
		}
	}
	if n < 6 {
		t.Fatalf("%d finals, want one per utterance (7, at least 6)", n)
	}
}

// TestFinalRetryDoesNotStallTheTrack fails an utterance's final once and
// holds its retry: the track goes on with the next utterance (its partials
// arrive) meanwhile, and the retried final arrives once the pool lets it.
func TestFinalRetryDoesNotStallTheTrack(t *testing.T) {
	release := make(chan struct{})
	var finals atomic.Int32
	pool, err := transcribe.NewPool(func() (transcribe.Decoder, error) {
		return gatedFinals{release: release, failFirst: 1, finals: &finals}, nil
	}, transcribe.PoolConfig{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	var once sync.Once
	releaseOnce := func() { once.Do(func() { close(release) }) }
	defer releaseOnce() // before pool.Close: a failed test must not hang on the gate
	tx, err := New(Config{DisableSpeculation: true, Logger: quiet()}, pool, loadVAD(t))
	if err != nil {
		t.Fatal(err)
	}
	var rec recorder
	info := trackInfo("retry")
	info.Partials = true
	sink, err := tx.OpenTrack(context.Background(), info, rec.emit)
	if err != nil {
		t.Fatal(err)
	}
	first := utterances(t, "jfk")
	feedAll(t, sink, 0, first)
	for finals.Load() < 2 { // the failed decode and its retry, now held
		time.Sleep(time.Millisecond)
	}
	cs := clips(t)
	feedAll(t, sink, int64(len(first)), cs["LJ001-0001"][:4*transcribe.SampleRate])
	deadline := time.Now().Add(20 * time.Second)
	for !hasPartialAfter(rec.snapshot(), float64(len(first))/transcribe.SampleRate) {
		if time.Now().After(deadline) {
			t.Fatalf("no partial of the next utterance while the final's retry waits: the track is stalled; events %+v", rec.snapshot())
		}
		time.Sleep(5 * time.Millisecond)
	}
	releaseOnce()
	closeWithin(t, sink, time.Minute)
	for _, e := range rec.snapshot() {
		if e.IsFinal && e.Start < 1 && e.Text != "" {
			return
		}
	}
	t.Fatalf("the retried final of the first utterance never arrived: %+v", rec.snapshot())
}

func hasPartialAfter(events []event.Event, start float64) bool {
	for _, e := range events {
		if !e.IsFinal && e.Start >= start-0.5 {
			return true
		}
	}
	return false
}

func quiet() *slog.Logger { return slog.New(slog.DiscardHandler) }
