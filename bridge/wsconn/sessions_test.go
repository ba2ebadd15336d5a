package wsconn

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Begin racing Shutdown: every Begin is either refused or waited for, and
// a Begin after Shutdown returned is refused. Run with -race: an Add that
// could follow Wait is a data race the detector reports.
func TestSessionsBeginRacesShutdown(t *testing.T) {
	for round := range 300 {
		s := NewSessions()
		const racers = 8
		var admitted, refused, ended atomic.Int64
		var wg sync.WaitGroup
		start := make(chan struct{})
		for range racers {
			wg.Go(func() {
				<-start
				ctx, end, ok := s.Begin()
				if !ok {
					refused.Add(1)
					end() // a no-op, safe to call
					return
				}
				admitted.Add(1)
				<-ctx.Done() // only Shutdown ends a session here
				ended.Add(1)
				end()
			})
		}
		close(start)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		if err := s.Shutdown(ctx); err != nil {
			t.Fatalf("round %d: Shutdown: %v", round, err)
		}
		cancel()
		endedByShutdown := ended.Load()
		wg.Wait()
		if admitted.Load()+refused.Load() != racers {
			t.Fatalf("round %d: %d admitted + %d refused of %d", round, admitted.Load(), refused.Load(), racers)
		}
		if endedByShutdown != admitted.Load() {
			t.Fatalf("round %d: Shutdown returned with %d of %d admitted sessions ended", round, endedByShutdown, admitted.Load())
		}
		if _, _, ok := s.Begin(); ok {
			t.Fatalf("round %d: Begin after Shutdown was admitted", round)
		}
	}
}

// Shutdown gives up waiting when its context ends, and still refuses new
// sessions.
func TestSessionsShutdownTimesOut(t *testing.T) {
	s := NewSessions()
	_, end, ok := s.Begin()
	if !ok {
		t.Fatal("first Begin refused")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := s.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Shutdown = %v, want context.DeadlineExceeded", err)
	}
	if _, _, ok := s.Begin(); ok {
		t.Error("Begin admitted after Shutdown began")
	}
	end()
}
