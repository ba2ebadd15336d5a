package call

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/callscribe/callscribe/bridge/event"
)

func texts(es []event.Event) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Text
	}
	return out
}

func TestSlowSubscriberLosesPartialsThenCloses(t *testing.T) {
	h, _ := newTestHub(t, Config{SubscriberQueue: 4})
	s := mustStart(t, h, "CA1", "MZa")
	sub, err := h.Subscribe(context.Background(), s.CallID(), SubscribeOptions{Partials: true, FromSeq: 2})
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		e       event.Event
		queued  []string
		dropped uint64
	}{
		{partial("in", "u1", "p1", 0), []string{"p1"}, 0},
		{partial("in", "u1", "p2", 0), []string{"p1", "p2"}, 0},
		{partial("in", "u1", "p3", 0), []string{"p1", "p2", "p3"}, 0},
		{partial("in", "u1", "p4", 0), []string{"p1", "p2", "p3", "p4"}, 0},
		{partial("in", "u1", "p5", 0), []string{"p1", "p2", "p3", "p4"}, 1},              // arriving partial dropped
		{final("in", "u1", "f1", 0, 1), []string{"p2", "p3", "p4", "f1"}, 2},             // oldest partial evicted
		{event.Event{Type: event.DTMF, Text: "d1"}, []string{"p3", "p4", "f1", "d1"}, 3}, // any non-partial evicts
		{final("in", "u2", "f2", 1, 2), []string{"p4", "f1", "d1", "f2"}, 4},
		{final("in", "u3", "f3", 2, 3), []string{"f1", "d1", "f2", "f3"}, 5},
	}
	for i, st := range steps {
		s.Emit(st.e)
		sub.mu.Lock()
		queued, dropped := texts(sub.queue), sub.dropped
		sub.mu.Unlock()
		if !slices.Equal(queued, st.queued) || dropped != st.dropped {
			t.Fatalf("step %d: queue %v dropped %d, want %v %d", i, queued, dropped, st.queued, st.dropped)
		}
	}
	// The queue holds only finals now: one more cannot be queued.
	s.Emit(final("in", "u4", "f4", 3, 4))
	got, err := drain(t, sub)
	if !errors.Is(err, ErrSlowSubscriber) {
		t.Fatalf("end error %v", err)
	}
	if !slices.Equal(texts(got), []string{"f1", "d1", "f2", "f3"}) {
		t.Errorf("delivered before the close: %v", texts(got))
	}
	m := h.Metrics().Snapshot()
	if m.SubscriberDrops != 5 || m.SlowSubscriberCloses != 1 {
		t.Errorf("metrics %+v", m)
	}
	// The client resumes after the last seq it saw and misses no final.
	again, err := h.Subscribe(context.Background(), s.CallID(), SubscribeOptions{FromSeq: sub.LastSeq() + 1})
	if err != nil {
		t.Fatal(err)
	}
	if got := texts(drainAvailable(again)); !slices.Equal(got, []string{"f4"}) {
		t.Errorf("resumed replay %v", got)
	}
}

func TestSubscriberWithoutPartialsIsNotSlowedByThem(t *testing.T) {
	h, _ := newTestHub(t, Config{SubscriberQueue: 2})
	s := mustStart(t, h, "CA1", "MZa")
	sub, err := h.Subscribe(context.Background(), s.CallID(), SubscribeOptions{FromSeq: 2})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 50 {
		s.Emit(partial("in", "u1", fmt.Sprint("p", i), 0))
	}
	s.Emit(final("in", "u1", "f1", 0, 1))
	if got := texts(drainAvailable(sub)); !slices.Equal(got, []string{"f1"}) {
		t.Errorf("got %v", got)
	}
	if sub.Dropped() != 0 || h.Metrics().SubscriberDrops.Load() != 0 {
		t.Errorf("dropped %d", sub.Dropped())
	}
}
