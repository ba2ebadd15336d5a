package call

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/callscribe/callscribe/bridge/clock/clocktest"
	"github.com/callscribe/callscribe/bridge/event"
)

// sharedStore is what several nodes share in PostgreSQL, in memory: the
// registry of open calls and the event log, with notifications.
type sharedStore struct {
	mu       sync.Mutex
	calls    map[string]*CallRecord
	ended    map[string]bool
	events   map[string][]event.Event
	watchers []func(string)
}

func newSharedStore() *sharedStore {
	return &sharedStore{calls: map[string]*CallRecord{}, ended: map[string]bool{}, events: map[string][]event.Event{}}
}

// Publish appends an event to the log: every node's hub has it as a sink.
func (s *sharedStore) Publish(_ context.Context, e event.Event) error {
	s.mu.Lock()
	s.events[e.CallID] = append(s.events[e.CallID], e)
	ws := slices.Clone(s.watchers)
	s.mu.Unlock()
	for _, w := range ws {
		w(e.CallID)
	}
	return nil
}

func (s *sharedStore) Events(_ context.Context, id string, from uint64, limit int) ([]event.Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []event.Event
	for _, e := range s.events[id] {
		if e.Seq >= from && len(out) < limit {
			out = append(out, e)
		}
	}
	return out, nil
}

func (s *sharedStore) Watch(ctx context.Context, notify func(string)) error {
	s.mu.Lock()
	s.watchers = append(s.watchers, notify)
	s.mu.Unlock()
	<-ctx.Done()
	return nil
}

func (s *sharedStore) OpenCall(_ context.Context, rec CallRecord) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[rec.CallID] = &rec
	return nil
}

func (s *sharedStore) RenewCalls(_ context.Context, node string, until time.Time, p []CallProgress) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var lost []string
	for _, pr := range p {
		if r := s.calls[pr.CallID]; r == nil || r.Node != node || s.ended[pr.CallID] {
			lost = append(lost, pr.CallID)
		} else {
			r.LastSeq, r.MediaSec = max(r.LastSeq, pr.LastSeq), max(r.MediaSec, pr.MediaSec)
		}
	}
	return lost, nil
}

func (s *sharedStore) EndCall(_ context.Context, id string, _ time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ended[id] = true
	return nil
}

func (s *sharedStore) TakeOrphans(context.Context, OrphanQuery) ([]CallRecord, error) {
	return nil, nil
}

func (s *sharedStore) CallUtterances(_ context.Context, id string) ([]event.Utterance, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var us []event.Utterance
	for _, e := range s.events[id] {
		if e.Type == event.Transcript && e.IsFinal {
			us = append(us, event.UtteranceOf(&e))
		}
	}
	return us, nil
}

func (s *sharedStore) AdoptCall(_ context.Context, key, node string, until time.Time) (CallRecord, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, r := range s.calls {
		if r.Key == key && !s.ended[id] {
			r.Node, r.LeaseUntil = node, until
			rec := *r
			for _, e := range s.events[id] {
				rec.LastSeq = max(rec.LastSeq, e.Seq)
			}
			return rec, true, nil
		}
	}
	return CallRecord{}, false, nil
}

// node runs a hub named name on the shared store, on the test's clock.
func node(t *testing.T, name string, s *sharedStore, clk *clocktest.Manual) *Hub {
	t.Helper()
	h, err := New(Config{Registry: s, EventLog: s, Sinks: []Sink{s}, Node: name, Grace: 5 * time.Second,
		Clock: clk, Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- h.Run(context.Background()) }()
	t.Cleanup(func() {
		h.Close()
		<-done
	})
	return h
}

// TestACallMovesBetweenNodes: a subscriber on node b follows a call node a
// holds (replay, then live); the call's stream reconnects to b, which takes
// it over: the subscriber on b goes on without a gap or a repeat, a's own
// subscriber goes on through a's follower, and one call.ended, from b,
// carries both nodes' finals.
func TestACallMovesBetweenNodes(t *testing.T) {
	store, clk := newSharedStore(), clocktest.NewManual()
	a, b := node(t, "a", store, clk), node(t, "b", store, clk)
	// Both nodes listen for the other's events before anything happens:
	// on the manual clock, their once-a-second polls would not run.
	waitFor(t, "both nodes watching the log", func() bool {
		store.mu.Lock()
		defer store.mu.Unlock()
		return len(store.watchers) == 2
	})

	sa := mustStart(t, a, "CA1", "MZ1", "inbound")
	sa.AdvanceMedia(10)
	sa.Emit(final("inbound", "inbound-1", "said to a", 1, 3))
	onA, err := a.Subscribe(context.Background(), sa.CallID(), SubscribeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	onB, err := b.Subscribe(context.Background(), sa.CallID(), SubscribeOptions{FromSeq: 1})
	if err != nil {
		t.Fatalf("b does not follow a's call: %v", err)
	}
	// Both list the call as a's; b follows it, and counts it as a's.
	for _, h := range []*Hub{a, b} {
		calls, err := h.AllCalls(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(calls) != 1 || calls[0].Node != "a" || calls[0].Followed != (h == b) {
			t.Errorf("node %s lists %+v, want the call held by a, followed on b", h.cfg.Node, calls)
		}
	}
	sa.Emit(final("inbound", "inbound-2", "still a", 4, 6))
	sa.End("disconnected")              // a's stream dropped...
	a.renewLeases(context.Background()) // a records its progress (media 10 s)

	sb := mustStart(t, b, "CA1", "MZ2", "inbound") // ...and reconnected to b
	if sb.CallID() != sa.CallID() || sb.Offset() != 10 {
		t.Fatalf("reconnect on b: call %s offset %v, want %s at 10", sb.CallID(), sb.Offset(), sa.CallID())
	}
	a.renewLeases(context.Background()) // a learns it lost the call
	sb.Emit(final("inbound", "MZ2/inbound-1", "said to b", 11, 13))
	sb.End("stop")
	clk.Advance(5 * time.Second) // b's grace: call.ended

	evs := untilEnd(t, onB)
	if got, want := seqs(evs), []uint64{1, 2, 3, 4, 5}; !slices.Equal(got, want) {
		t.Errorf("b's subscriber saw seqs %v, want %v", got, want)
	}
	ended := evs[len(evs)-1]
	if ended.Type != event.CallEnded || len(ended.Transcript) != 3 || ended.Call.EndReason != "stop" {
		t.Errorf("call.ended %+v", ended)
	}
	var endedCount int
	for _, e := range store.events[sa.CallID()] {
		if e.Type == event.CallEnded {
			endedCount++
		}
	}
	if endedCount != 1 {
		t.Errorf("%d call.ended in the log, want 1", endedCount)
	}
	// a's subscriber went on through a's follower, to the same end.
	if got := seqs(untilEnd(t, onA)); !slices.Equal(got, []uint64{1, 2, 3, 4, 5}) {
		t.Errorf("a's subscriber saw seqs %v, want 1 to 5", got)
	}
}

// untilEnd reads a subscription until call.ended, failing the test if that
// takes more than a generous while.
func untilEnd(t *testing.T, sub *Subscription) []event.Event {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var out []event.Event
	for {
		e, err := sub.Next(ctx)
		if err != nil {
			if ctx.Err() != nil {
				t.Fatalf("no call.ended after %v", seqs(out))
			}
			return out
		}
		out = append(out, e)
	}
}

func (s *sharedStore) Calls(context.Context, time.Time) ([]CallRecord, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []CallRecord
	for _, r := range s.calls {
		out = append(out, *r)
	}
	return out, nil
}

// TestFollowACallListedBeforeItsFirstEvent: a node records a call in the
// registry before it appends call.started to the log, so a client that
// saw the call listed may subscribe on another node in between. The
// subscription is taken, and call.started comes through it once it is
// appended; an id neither the registry nor the log knows is still
// unknown.
func TestFollowACallListedBeforeItsFirstEvent(t *testing.T) {
	store, clk := newSharedStore(), clocktest.NewManual()
	b := node(t, "b", store, clk)
	waitFor(t, "b watching the log", func() bool {
		store.mu.Lock()
		defer store.mu.Unlock()
		return len(store.watchers) == 1
	})
	if err := store.OpenCall(context.Background(), CallRecord{CallID: "c-1", Key: "CA1", Node: "a",
		LeaseUntil: clk.Now().Add(time.Minute), StartedAt: clk.Now()}); err != nil {
		t.Fatal(err)
	}
	sub, err := b.Subscribe(context.Background(), "c-1", SubscribeOptions{FromSeq: 1})
	if err != nil {
		t.Fatalf("subscribing to a listed call before its first event: %v", err)
	}
	defer sub.Close()
	started := event.Event{CallID: "c-1", Seq: 1, Type: event.CallStarted, Call: &event.CallInfo{}}
	if err := store.Publish(context.Background(), started); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	e, err := sub.Next(ctx)
	if err != nil || e.Seq != 1 || e.Type != event.CallStarted {
		t.Fatalf("first event on b: %+v, %v; want call.started, seq 1", e, err)
	}
	if _, err := b.Subscribe(context.Background(), "c-2", SubscribeOptions{}); !errors.Is(err, ErrUnknownCall) {
		t.Errorf("subscribing to an unknown call: %v, want ErrUnknownCall", err)
	}
}
