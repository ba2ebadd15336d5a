package call

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/callscribe/callscribe/bridge/event"
)

// TestReplayThenLiveHasNoGapNoDuplicate runs random scripts of emits,
// subscribes (at random FromSeq, with and without partials) and partial
// reads, and checks that every subscription received exactly what it asked
// for, in seq order: every kept event from FromSeq on, plus the live
// partials emitted after it joined.
func TestReplayThenLiveHasNoGapNoDuplicate(t *testing.T) {
	for seed := range uint64(40) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 7))
			sink := &recordingSink{}
			h, clock := newTestHub(t, Config{Sinks: []Sink{sink}, SubscriberQueue: 1000})
			s := mustStart(t, h, "CA1", "MZa")
			type follower struct {
				sub      *Subscription
				opts     SubscribeOptions
				joinedAt uint64 // seq published when it joined
				got      []event.Event
			}
			var fs []*follower
			var published uint64 = 1
			for step := range 120 {
				switch r := rng.IntN(10); {
				case r < 4:
					s.Emit(partial("inbound", fmt.Sprint("u", step), "p", float64(step)))
					published++
				case r < 7:
					s.Emit(final("outbound", fmt.Sprint("u", step), "f", float64(step), float64(step)+1))
					published++
				case r < 8:
					opts := SubscribeOptions{Partials: rng.IntN(2) == 0, FromSeq: rng.Uint64N(published + 3)}
					sub, err := h.Subscribe(context.Background(), s.CallID(), opts)
					if err != nil {
						t.Fatal(err)
					}
					fs = append(fs, &follower{sub: sub, opts: opts, joinedAt: published})
				default:
					if len(fs) > 0 {
						f := fs[rng.IntN(len(fs))]
						f.got = append(f.got, drainAvailable(f.sub)...)
					}
				}
			}
			s.End("stop")
			clock.Advance(10 * time.Second)
			all := sink.of(s.CallID())
			for i, f := range fs {
				rest, err := drain(t, f.sub)
				if !errors.Is(err, io.EOF) {
					t.Fatalf("follower %d ended with %v", i, err)
				}
				f.got = append(f.got, rest...)
				var want []uint64
				for _, e := range all {
					if e.Seq >= f.opts.FromSeq && (!isPartial(&e) || f.opts.Partials && e.Seq > f.joinedAt) {
						want = append(want, e.Seq)
					}
				}
				if got := seqs(f.got); !slices.Equal(got, want) {
					t.Fatalf("follower %d %+v joined at %d:\n got %v\nwant %v", i, f.opts, f.joinedAt, got, want)
				}
			}
		})
	}
}

func TestReplayStartsAtOldestKeptEvent(t *testing.T) {
	h, _ := newTestHub(t, Config{MaxHistory: 5})
	s := mustStart(t, h, "CA1", "MZa")
	for i := range 20 {
		s.Emit(final("inbound", fmt.Sprint("u", i), "f", float64(i), float64(i)+1))
		s.Emit(partial("inbound", fmt.Sprint("v", i), "p", float64(i)))
	}
	sub, err := h.Subscribe(context.Background(), s.CallID(), SubscribeOptions{Partials: true})
	if err != nil {
		t.Fatal(err)
	}
	// Seq 2, 4, ... 40 are finals, the odd ones after 1 partials (not kept).
	if got := seqs(drainAvailable(sub)); !slices.Equal(got, []uint64{32, 34, 36, 38, 40}) {
		t.Errorf("replay %v", got)
	}
}

func TestHistorySnapshotsSurviveLaterAdds(t *testing.T) {
	h := history{max: 3}
	var snaps [][]event.Event
	for seq := uint64(1); seq <= 12; seq++ {
		h.add(event.Event{Seq: seq})
		snaps = append(snaps, h.since(0))
	}
	for i, snap := range snaps {
		last := uint64(i + 1)
		first := max(1, int(last)-2)
		var want []uint64
		for s := uint64(first); s <= last; s++ {
			want = append(want, s)
		}
		if got := seqs(snap); !slices.Equal(got, want) {
			t.Errorf("snapshot after seq %d: %v, want %v", last, got, want)
		}
	}
	if got := seqs(h.since(11)); !slices.Equal(got, []uint64{11, 12}) {
		t.Errorf("since(11) = %v", got)
	}
	if got := h.since(13); len(got) != 0 {
		t.Errorf("since(13) = %v", seqs(got))
	}
	if cap(h.buf) > 2*h.max {
		t.Errorf("history capacity %d exceeds twice the bound", cap(h.buf))
	}
}
