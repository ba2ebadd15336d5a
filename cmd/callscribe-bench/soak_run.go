package main

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"
)

// SoakCall is one call of a soak, scored without its events (a soak plays
// too many calls to keep them).
type SoakCall struct {
	Index     int     `json:"index"`
	Slot      int     `json:"slot"`
	StartSec  float64 `json:"start_sec"`
	EndSec    float64 `json:"end_sec"`
	Kind      string  `json:"kind"`
	CutSec    float64 `json:"cut_sec,omitempty"`
	ResumeSec float64 `json:"resume_after_sec,omitempty"`
	Refused   bool    `json:"refused,omitempty"`
	Error     string  `json:"error,omitempty"`
	Finals    int     `json:"finals"`
	Expected  int     `json:"expected"`
	// Missing are the expected clips with no final, as "inbound:CLIP".
	Missing       []string  `json:"missing,omitempty"`
	ServerFinalMS []float64 `json:"-"`
}

// soakLoad is the calls of a soak as they run: the slots' shared state.
type soakLoad struct {
	cfg    SoakConfig
	layout func(index int) (Call, error)
	log    *slog.Logger
	began  time.Time
	live   atomic.Int64 // calls the bench is playing
	next   atomic.Int64 // the next call's index
	mu     sync.Mutex
	calls  []SoakCall
}

// run keeps cfg.Calls calls going until cfg.Duration has passed since
// began, then waits for the last ones to end. Slot i starts i/N of a call
// into the soak, so that the calls' starts and ends spread out.
func (l *soakLoad) run(ctx context.Context, callSec float64) {
	var wg sync.WaitGroup
	for slot := range l.cfg.Calls {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(l.cfg.Seed, uint64(slot)))
			delay := time.Duration(float64(slot) / float64(l.cfg.Calls) * callSec * float64(time.Second))
			for sleep(ctx, delay) == nil && time.Since(l.began) < l.cfg.Duration {
				if err := l.play(ctx, slot, rng); err != nil {
					l.log.Error("soak call not played", "slot", slot, "err", err)
					return
				}
				delay = l.cfg.Churn.gap(rng)
			}
		})
	}
	wg.Wait()
}

// play lays out, plays and scores the slot's next call.
func (l *soakLoad) play(ctx context.Context, slot int, rng *rand.Rand) error {
	call, err := l.layout(int(l.next.Add(1) - 1))
	if err != nil {
		return fmt.Errorf("laying out a soak call: %w", err)
	}
	plan := l.cfg.Churn.plan(rng, call.Seconds)
	rec := SoakCall{Index: call.Index, Slot: slot, StartSec: time.Since(l.began).Seconds(), Kind: plan.Kind(),
		CutSec: plan.Cut, ResumeSec: plan.Resume.Seconds()}
	l.log.Debug("soak call starts", "call", call.Index, "slot", slot, "kind", rec.Kind)
	l.live.Add(1)
	r := playPlanned(ctx, l.cfg.URL, call, plan, l.cfg.Drain, l.log)
	l.live.Add(-1)
	rec.EndSec = time.Since(l.began).Seconds()
	rec.Refused, rec.Error = r.Refused, r.Error
	if !r.Refused {
		expected := call
		expected.Truth = expectedTruth(call.Truth, plan)
		s := Score(expected, r.Events)
		rec.Finals, rec.Expected, rec.Missing, rec.ServerFinalMS = s.Finals, s.Expected, s.Missing, s.ServerFinalMS
	}
	l.mu.Lock()
	l.calls = append(l.calls, rec)
	l.mu.Unlock()
	return nil
}

// sample reads the server's RSS and, from /readyz, its goroutines, open
// tracks and live calls. A read that fails leaves the sample out.
func (l *soakLoad) sample(ctx context.Context) (Sample, error) {
	s := Sample{At: time.Since(l.began).Seconds(), Calls: int(l.live.Load())}
	rss, _, err := memory(l.cfg.ServerPID)
	if err != nil {
		return s, fmt.Errorf("reading the server's memory: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	r, err := fetchReadiness(ctx, l.cfg.ReadyzURL)
	if err != nil {
		return s, fmt.Errorf("reading /readyz: %w", err)
	}
	s.RSSMiB, s.Goroutines, s.Tracks, s.LiveCalls = rss, r.Goroutines, r.Tracks, r.LiveCalls
	return s, nil
}

// sampleEvery samples every cfg.Every until ctx ends and returns the
// samples with the count of failed reads.
func (l *soakLoad) sampleEvery(ctx context.Context) ([]Sample, int) {
	var out []Sample
	failed := 0
	tick := time.NewTicker(l.cfg.Every)
	defer tick.Stop()
	for {
		if s, err := l.sample(ctx); err == nil {
			out = append(out, s)
		} else if ctx.Err() == nil {
			failed++
			l.log.Warn("soak sample failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return out, failed
		case <-tick.C:
		}
	}
}
