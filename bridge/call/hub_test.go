package call

import (
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/callscribe/callscribe/bridge/event"
)

func TestSeqContinuesAcrossReconnect(t *testing.T) {
	sink := &recordingSink{}
	h, clock := newTestHub(t, Config{Sinks: []Sink{sink}})
	a := mustStart(t, h, "CA1", "MZa", "inbound")
	a.Emit(final("inbound", "u1", "hello", 0.5, 1.2))
	a.Emit(event.Event{Type: event.DTMF, Digit: "5"})
	a.End("network drop")
	clock.Advance(4 * time.Second)

	b := mustStart(t, h, "CA1", "MZb", "inbound")
	if b.CallID() != a.CallID() || !b.Resumed() || a.Resumed() {
		t.Fatalf("reconnect: call %s resumed=%v, first call %s resumed=%v", b.CallID(), b.Resumed(), a.CallID(), a.Resumed())
	}
	b.Emit(final("inbound", "u2", "again", 3, 4))
	b.End("stop")
	clock.Advance(10 * time.Second)

	got := sink.of(a.CallID())
	want := []event.Type{event.CallStarted, event.Transcript, event.DTMF, event.Transcript, event.CallEnded}
	if !slices.Equal(types(got), want) {
		t.Fatalf("types %v, want %v", types(got), want)
	}
	for i, e := range got {
		if e.Seq != uint64(i+1) || e.CallID != a.CallID() {
			t.Errorf("event %d: seq %d call %q", i, e.Seq, e.CallID)
		}
	}
	if got[1].StreamID != "MZa" || got[3].StreamID != "MZb" {
		t.Errorf("stream ids %q, %q", got[1].StreamID, got[3].StreamID)
	}
	m := h.Metrics().Snapshot()
	if m.CallsStarted != 1 || m.Reconnects != 1 || m.CallsEnded != 1 || m.EventsEmitted != 5 {
		t.Errorf("metrics %+v", m)
	}
}

func TestOffsetIsCallMediaTimeReached(t *testing.T) {
	h, clock := newTestHub(t, Config{})
	a := mustStart(t, h, "CA1", "MZa")
	if a.Offset() != 0 {
		t.Fatalf("first stream offset %v", a.Offset())
	}
	a.AdvanceMedia(12.5)
	a.AdvanceMedia(7) // late report: ignored
	a.End("drop")
	clock.Advance(time.Second)
	b := mustStart(t, h, "CA1", "MZb")
	if b.Offset() != 12.5 {
		t.Fatalf("reconnect offset %v, want 12.5", b.Offset())
	}
	b.AdvanceMedia(3.25)
	sub, err := h.Subscribe(context.Background(), b.CallID(), SubscribeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b.End("stop")
	clock.Advance(10 * time.Second)
	got, err := drain(t, sub)
	if !errors.Is(err, io.EOF) {
		t.Fatalf("end error %v", err)
	}
	info := got[len(got)-1].Call
	if info.DurationSec != 15.75 || info.Streams != 2 || info.EndReason != "stop" {
		t.Errorf("call.ended info %+v", info)
	}
}

func TestGracePeriod(t *testing.T) {
	for _, tc := range []struct {
		name     string
		wait     time.Duration
		sameCall bool
	}{
		{"reconnect at once", 0, true},
		{"reconnect just inside grace", 10*time.Second - time.Millisecond, true},
		{"reconnect at the end of grace", 10 * time.Second, false},
		{"reconnect long after", time.Hour, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sink := &recordingSink{}
			h, clock := newTestHub(t, Config{Sinks: []Sink{sink}, Retention: 2 * time.Hour})
			a := mustStart(t, h, "CA1", "MZa")
			a.End("drop")
			clock.Advance(tc.wait)
			b := mustStart(t, h, "CA1", "MZb")
			if (b.CallID() == a.CallID()) != tc.sameCall {
				t.Fatalf("after %v: calls %s and %s", tc.wait, a.CallID(), b.CallID())
			}
			first := sink.of(a.CallID())
			ended := len(first) > 0 && first[len(first)-1].Type == event.CallEnded
			if ended == tc.sameCall {
				t.Errorf("first call ended=%v: %v", ended, types(first))
			}
			if !tc.sameCall {
				second := sink.of(b.CallID())
				if len(second) != 1 || second[0].Type != event.CallStarted || second[0].Seq != 1 || b.Resumed() {
					t.Errorf("new call events %v", types(second))
				}
			}
		})
	}
}

func TestOverlappingStreamsEndOnlyWithTheLast(t *testing.T) {
	sink := &recordingSink{}
	h, clock := newTestHub(t, Config{Sinks: []Sink{sink}})
	a := mustStart(t, h, "CA1", "MZa")
	b := mustStart(t, h, "CA1", "MZb")
	a.End("replaced")
	a.End("again") // idempotent
	clock.Advance(time.Minute)
	if got := sink.of(a.CallID()); len(got) != 1 {
		t.Fatalf("call ended while a stream was open: %v", types(got))
	}
	b.End("stop")
	clock.Advance(time.Minute)
	got := sink.of(a.CallID())
	if last := got[len(got)-1]; last.Type != event.CallEnded || last.Call.EndReason != "stop" {
		t.Fatalf("last event %+v", last)
	}
}

func TestStartErrors(t *testing.T) {
	h, _ := newTestHub(t, Config{})
	mustStart(t, h, "CA1", "MZa")
	ctx := context.Background()
	for _, tc := range []struct {
		req  StartRequest
		want error
	}{
		{StartRequest{StreamID: "MZ"}, ErrBadRequest},
		{StartRequest{Key: "CA2"}, ErrBadRequest},
		{StartRequest{Key: "CA1", StreamID: "MZa"}, ErrDuplicateStream},
	} {
		if _, err := h.Start(ctx, tc.req); !errors.Is(err, tc.want) {
			t.Errorf("Start(%+v) = %v, want %v", tc.req, err, tc.want)
		}
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := h.Start(cancelled, StartRequest{Key: "CA3", StreamID: "MZ"}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled Start = %v", err)
	}
	if _, err := h.Subscribe(context.Background(), "call_nope", SubscribeOptions{}); !errors.Is(err, ErrUnknownCall) {
		t.Errorf("Subscribe unknown = %v", err)
	}
}

func TestCallIDsAreDistinctAndPrefixed(t *testing.T) {
	h, _ := newTestHub(t, Config{})
	seen := map[string]bool{}
	for i := range 50 {
		id := mustStart(t, h, "key"+strings.Repeat("x", i), "MZ").CallID()
		if !strings.HasPrefix(id, "call_") || len(id) != len("call_")+16 || seen[id] {
			t.Fatalf("call id %q (seen %v)", id, seen[id])
		}
		seen[id] = true
	}
}
