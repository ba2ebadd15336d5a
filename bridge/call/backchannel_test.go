package call

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/event"
)

// readChan reads what a back-channel holds now, and whether it is closed.
func readChan(sub bridge.Subscription) ([]event.Event, bool) {
	var out []event.Event
	for {
		select {
		case e, ok := <-sub.C():
			if !ok {
				return out, true
			}
			out = append(out, e)
		default:
			return out, false
		}
	}
}

func TestBackChannelStartsAtItsStream(t *testing.T) {
	h, clock := newTestHub(t, Config{})
	a := mustStart(t, h, "CA1", "MZa")
	back, err := a.Subscribe(false)
	if err != nil {
		t.Fatal(err)
	}
	a.Emit(partial("inbound", "u1", "on", 0))
	a.Emit(final("inbound", "u1", "one", 0, 1))
	if got, _ := readChan(back); !slices.Equal(types(got), []event.Type{event.CallStarted, event.Transcript}) || !got[1].IsFinal {
		t.Errorf("first stream back-channel %v", types(got))
	}
	back.Close()
	if _, closed := readChan(back); !closed || !errors.Is(back.Err(), ErrSubscriptionClosed) {
		t.Errorf("after Close: closed=%v err=%v", closed, back.Err())
	}
	a.End("drop")
	clock.Advance(time.Second)

	b := mustStart(t, h, "CA1", "MZb")
	back, err = b.Subscribe(true)
	if err != nil {
		t.Fatal(err)
	}
	b.Emit(partial("inbound", "u2", "tw", 2))
	b.End("stop")
	clock.Advance(10 * time.Second)
	got, closed := readChan(back)
	if !slices.Equal(seqs(got), []uint64{4, 5}) || !closed || back.Err() != nil {
		t.Errorf("reconnected back-channel %v closed=%v err=%v, want only the new stream's events", seqs(got), closed, back.Err())
	}
}

func TestBackChannelWhenFull(t *testing.T) {
	h, _ := newTestHub(t, Config{SubscriberQueue: 8})
	s := mustStart(t, h, "CA1", "MZa")
	back, err := s.Subscribe(true) // holds call.started: 1 of 8
	if err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		s.Emit(partial("inbound", "u1", fmt.Sprint("p", i), 0))
	}
	// Partials stop at three quarters (6); finals fill the rest.
	s.Emit(final("inbound", "u1", "f1", 0, 1))
	s.Emit(final("inbound", "u2", "f2", 1, 2))
	if m := h.Metrics().Snapshot(); m.SubscriberDrops != 5 || m.SlowSubscriberCloses != 0 {
		t.Fatalf("metrics %+v", m)
	}
	s.Emit(final("inbound", "u3", "f3", 2, 3))
	got, closed := readChan(back)
	want := []string{"", "p0", "p1", "p2", "p3", "p4", "f1", "f2"}
	if !slices.Equal(texts(got), want) || !closed || !errors.Is(back.Err(), ErrSlowSubscriber) {
		t.Errorf("got %v closed=%v err=%v", texts(got), closed, back.Err())
	}
}

func TestTransportAdapter(t *testing.T) {
	h, _ := newTestHub(t, Config{})
	calls := h.Transport()
	s, err := calls.Start(t.Context(), bridge.StreamStart{Key: "CA1", StreamID: "MZa", Source: "twilio"})
	if err != nil || s.CallID() == "" || s.Offset() != 0 {
		t.Fatalf("Start = %v, %v", s, err)
	}
	if s, err := calls.Start(t.Context(), bridge.StreamStart{Key: "CA1"}); s != nil || !errors.Is(err, ErrBadRequest) {
		t.Errorf("bad start = %v, %v", s, err)
	}
}
