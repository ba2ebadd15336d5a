package pipeline

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/clock/clocktest"
	"github.com/callscribe/callscribe/transcribe"
)

// heldPartials decodes like countingDecoder, but holds the first partial
// (a decode without RetryLoops) until release is closed, telling asked.
type heldPartials struct {
	once    *sync.Once
	asked   chan struct{}
	release chan struct{}
}

func (d heldPartials) Decode(ctx context.Context, s []float32, o transcribe.Options) (transcribe.Result, error) {
	if !o.RetryLoops {
		held := false
		d.once.Do(func() { held = true })
		if held {
			close(d.asked)
			select {
			case <-d.release:
			case <-ctx.Done():
				return transcribe.Result{}, ctx.Err()
			}
		}
	}
	return countingDecoder{}.Decode(ctx, s, o)
}

func (heldPartials) Close() error { return nil }

// TestFirstPartialLatency measures time to first text on a manual clock.
// The first utterance's audio arrives at one instant and its first
// partial's decode is held while the clock moves 1.5 s: it took exactly
// that. The rest arrives after, with the clock still: the next
// utterance's first partial took no time, and each utterance is measured
// once.
func TestFirstPartialLatency(t *testing.T) {
	model := loadVAD(t)
	audio := utterances(t, "jfk", "LJ001-0002")
	dec := heldPartials{once: &sync.Once{}, asked: make(chan struct{}), release: make(chan struct{})}
	pool, err := transcribe.NewPool(func() (transcribe.Decoder, error) { return dec, nil }, transcribe.PoolConfig{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	clk := clocktest.NewManual()
	var mu sync.Mutex
	var took []time.Duration
	cfg := Config{Clock: clk, DisableSpeculation: true, Logger: quiet(), FirstPartial: func(d time.Duration) {
		mu.Lock()
		took = append(took, d)
		mu.Unlock()
	}}
	tx, err := New(cfg, pool, model)
	if err != nil {
		t.Fatal(err)
	}
	var rec recorder
	sink, err := tx.OpenTrack(context.Background(), bridge.TrackInfo{CallID: "c", StreamID: "s", Track: "inbound", Partials: true}, rec.emit)
	if err != nil {
		t.Fatal(err)
	}
	first := 2 * transcribe.SampleRate // the first utterance's speech, see utterances
	feedAll(t, sink, 0, audio[:first])
	select {
	case <-dec.asked:
	case <-time.After(time.Minute):
		t.Fatal("no partial asked for")
	}
	clk.Advance(1500 * time.Millisecond)
	close(dec.release)
	// Closing ends the open utterance, which would make the held partial
	// stale: wait for it first.
	waitPartial(t, &rec, 0)
	// The second utterance stays open until its trailing silence comes,
	// so its partial cannot go stale meanwhile.
	second := first + 7*transcribe.SampleRate/2
	feedAll(t, sink, int64(first), audio[first:second])
	waitPartial(t, &rec, 3)
	feedAll(t, sink, int64(second), audio[second:])
	closeWithin(t, sink, time.Minute)

	withPartials := map[string]bool{}
	for _, e := range rec.snapshot() {
		if !e.IsFinal {
			withPartials[e.UtteranceID] = true
		}
	}
	mu.Lock()
	defer mu.Unlock()
	t.Logf("first partial latencies %v", took)
	if len(took) == 0 || took[0] != 1500*time.Millisecond {
		t.Fatalf("first partial latencies %v, want 1.5s first", took)
	}
	if len(took) != len(withPartials) || len(took) < 2 {
		t.Errorf("%d latencies for %d utterances with partials, want one each and at least 2", len(took), len(withPartials))
	}
	for _, d := range took[1:] {
		if d != 0 {
			t.Errorf("latency %v after the clock stopped moving, want 0", d)
		}
	}
}

// waitPartial waits for a partial of an utterance starting at or after
// start seconds.
func waitPartial(t *testing.T, rec *recorder, start float64) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); !hasPartialAfter(rec.snapshot(), start+0.5); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no partial of an utterance from %.1f s", start)
		}
	}
}
