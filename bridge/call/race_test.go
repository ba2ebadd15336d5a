package call

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
	"testing"
	"time"
)

// TestManyCallsConcurrently emits from several goroutines into several
// calls while subscribers read, streams come and go, the calls are listed
// and finally end; run it with -race. Every subscriber must see its call's
// seqs 1..N exactly once, and the sink the same number of events.
func TestManyCallsConcurrently(t *testing.T) {
	const calls, emitters, perEmitter = 6, 3, 40
	sink := &recordingSink{}
	h, clock := newTestHub(t, Config{Sinks: []Sink{sink}, SubscriberQueue: calls * emitters * perEmitter})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	var readers sync.WaitGroup
	first := make([]*Stream, calls)
	results := make([][]uint64, calls)
	for c := range calls {
		first[c] = mustStart(t, h, fmt.Sprint("CA", c), "MZ")
		sub, err := h.Subscribe(context.Background(), first[c].CallID(), SubscribeOptions{Partials: true})
		if err != nil {
			t.Fatal(err)
		}
		readers.Go(func() {
			for {
				e, err := sub.Next(ctx)
				if err != nil {
					if !errors.Is(err, io.EOF) {
						t.Errorf("call %d: %v", c, err)
					}
					return
				}
				results[c] = append(results[c], e.Seq)
			}
		})
	}
	var workers sync.WaitGroup
	for c := range calls {
		for g := range emitters {
			workers.Go(func() {
				key := fmt.Sprint("CA", c)
				s := mustStart(t, h, key, fmt.Sprint("MZ", g))
				for i := range perEmitter {
					id := fmt.Sprint(g, "-", i)
					if i%2 == 0 {
						s.Emit(partial("inbound", id, "p", 0))
					} else {
						s.Emit(final("inbound", id, "f", 0, 1))
					}
					s.AdvanceMedia(float64(i))
					if i == perEmitter/2 {
						// Streams come and go while others emit.
						next := mustStart(t, h, key, fmt.Sprint("MZ", g, "b"))
						s.End("replaced")
						s = next
					}
				}
				s.End("stop")
			})
		}
	}
	workers.Go(func() {
		for range 20 {
			h.Calls()
		}
	})
	// Late subscribers join while events flow: replay and live must meet
	// with no gap and no duplicate.
	late := make([][]uint64, calls)
	for c := range calls {
		readers.Go(func() {
			sub, err := h.Subscribe(ctx, first[c].CallID(), SubscribeOptions{})
			if err != nil {
				t.Error(err)
				return
			}
			for {
				e, err := sub.Next(ctx)
				if err != nil {
					return
				}
				late[c] = append(late[c], e.Seq)
			}
		})
	}
	workers.Wait()
	for _, s := range first {
		s.End("stop")
	}
	clock.Advance(10 * time.Second)
	readers.Wait()
	for c := range calls {
		want := 2 + emitters*perEmitter
		got := results[c]
		if len(got) != want {
			t.Errorf("call %d: %d events, want %d", c, len(got), want)
			continue
		}
		for i, seq := range got {
			if seq != uint64(i+1) {
				t.Errorf("call %d: event %d has seq %d", c, i, seq)
				break
			}
		}
		all := sink.of(first[c].CallID())
		if len(all) != want {
			t.Errorf("call %d: sink got %d", c, len(all))
		}
		var kept []uint64
		for _, e := range all {
			if !isPartial(&e) {
				kept = append(kept, e.Seq)
			}
		}
		if !slices.Equal(late[c], kept) {
			t.Errorf("call %d: late subscriber got %v,\nwant %v", c, late[c], kept)
		}
	}
}
