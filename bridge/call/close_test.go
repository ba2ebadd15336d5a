package call

import (
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/callscribe/callscribe/bridge/event"
)

func TestCloseEndsCallsTimersAndSubscriptions(t *testing.T) {
	sink := &recordingSink{}
	h, clock := newTestHub(t, Config{Sinks: []Sink{sink}})
	open := mustStart(t, h, "CA1", "MZa")
	waiting := mustStart(t, h, "CA2", "MZb")
	waiting.End("drop") // in its grace period
	done := mustStart(t, h, "CA3", "MZc")
	done.End("stop")
	clock.Advance(10 * time.Second) // ended, retained
	sub, err := h.Subscribe(context.Background(), open.CallID(), SubscribeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		s      *Stream
		reason string
	}{{open, EndServerShutdown}, {waiting, "drop"}, {done, "stop"}} {
		got := sink.of(tc.s.CallID())
		ends := 0
		for _, e := range got {
			if e.Type == event.CallEnded {
				ends++
				if e.Call.EndReason != tc.reason {
					t.Errorf("%s: end reason %q, want %q", tc.s.CallID(), e.Call.EndReason, tc.reason)
				}
			}
		}
		if ends != 1 {
			t.Errorf("%s: %d call.ended", tc.s.CallID(), ends)
		}
	}
	got, err := drain(t, sub)
	if !errors.Is(err, io.EOF) || len(got) != 2 || got[1].Type != event.CallEnded {
		t.Errorf("subscription after Close: %v, %v", types(got), err)
	}
	if clock.Pending() != 0 {
		t.Errorf("%d timers left", clock.Pending())
	}
	if _, err := h.Start(context.Background(), StartRequest{Key: "CA4", StreamID: "MZ"}); !errors.Is(err, ErrHubClosed) {
		t.Errorf("Start after Close = %v", err)
	}
	if _, err := h.Subscribe(context.Background(), open.CallID(), SubscribeOptions{}); !errors.Is(err, ErrHubClosed) {
		t.Errorf("Subscribe after Close = %v", err)
	}
	open.Emit(final("inbound", "u", "late", 0, 1)) // dropped, no panic
	open.End("stop")
	if err := h.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
}

func TestRunClosesWhenContextEnds(t *testing.T) {
	h, _ := newTestHub(t, Config{})
	s := mustStart(t, h, "CA1", "MZa")
	sub, err := s.Subscribe(false)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan error)
	go func() { ran <- h.Run(ctx) }()
	cancel()
	if err := <-ran; err != nil {
		t.Fatal(err)
	}
	got, closed := readChan(sub)
	if !closed || sub.Err() != nil || got[len(got)-1].Type != event.CallEnded {
		t.Fatalf("back-channel after Run: %v closed=%v err=%v", types(got), closed, sub.Err())
	}
}
