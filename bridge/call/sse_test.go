package call

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/callscribe/callscribe/bridge/event"
)

func TestSSEStreamsTheCall(t *testing.T) {
	h, clock := newTestHub(t, Config{})
	srv := newTestServer(t, h)
	s := mustStart(t, h, "CA1", "MZa")
	resp, msgs := openSSE(t, srv, "/v1/calls/"+s.CallID()+"/events", "")
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("content type %q", ct)
	}
	scriptCall(s, clock)
	raw, evs := collectSSE(t, msgs)
	if want := []uint64{1, 2, 3, 4, 5, 6, 7}; !slices.Equal(seqs(evs), want) {
		t.Fatalf("seqs %v, want %v", seqs(evs), want)
	}
	for i, m := range raw {
		if m.id != fmt.Sprint(evs[i].Seq) || m.event != string(evs[i].Type) {
			t.Errorf("message %d: id %q event %q for %d %s", i, m.id, m.event, evs[i].Seq, evs[i].Type)
		}
	}
	if evs[len(evs)-1].Type != event.CallEnded {
		t.Errorf("stream ended after %s", evs[len(evs)-1].Type)
	}
}

func TestSSEResumesAfterLastEventID(t *testing.T) {
	h, clock := newTestHub(t, Config{})
	srv := newTestServer(t, h)
	s := mustStart(t, h, "CA1", "MZa")
	s.Emit(final("inbound", "u1", "one", 0, 1))
	s.Emit(final("inbound", "u2", "two", 1, 2))
	s.Emit(final("inbound", "u3", "three", 2, 3))
	resp, msgs := openSSE(t, srv, "/v1/calls/"+s.CallID()+"/events", "2")
	defer resp.Body.Close()
	s.End("stop")
	clock.Advance(10 * time.Second)
	if _, evs := collectSSE(t, msgs); !slices.Equal(seqs(evs), []uint64{3, 4, 5}) {
		t.Fatalf("resumed seqs %v", seqs(evs))
	}
	// A browser reconnecting after call.ended is told there is no more.
	ended, _ := openSSE(t, srv, "/v1/calls/"+s.CallID()+"/events", "5")
	defer ended.Body.Close()
	if resp := ended; resp.StatusCode != http.StatusNoContent {
		t.Errorf("resume after call.ended: %s", resp.Status)
	}
}

func TestSSEHeartbeat(t *testing.T) {
	h, clock := newTestHub(t, Config{})
	srv := newTestServer(t, h)
	s := mustStart(t, h, "CA1", "MZa")
	resp, msgs := openSSE(t, srv, "/v1/calls/"+s.CallID()+"/events", "")
	defer resp.Body.Close()
	if m := <-msgs; m.id != "1" {
		t.Fatalf("first message %+v", m)
	}
	waitFor(t, "the heartbeat timer", func() bool { return clock.Pending() == 1 })
	clock.Advance(15 * time.Second)
	select {
	case m := <-msgs:
		if m.comment == "" {
			t.Errorf("got %+v, want a comment", m)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no heartbeat")
	}
}

func TestEventsRequestErrors(t *testing.T) {
	h, _ := newTestHub(t, Config{})
	srv := newTestServer(t, h)
	s := mustStart(t, h, "CA1", "MZa")
	for _, tc := range []struct {
		path, accept string
		want         int
	}{
		{"/v1/calls/call_0000/events", "text/event-stream", http.StatusNotFound},
		{"/v1/calls/" + s.CallID() + "/events", "application/json", http.StatusBadRequest},
		{"/v1/calls/" + s.CallID() + "/events?from_seq=x", "text/event-stream", http.StatusBadRequest},
		{"/v1/calls/" + s.CallID() + "/events?partials=maybe", "text/event-stream", http.StatusBadRequest},
	} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+tc.path, nil)
		req.Header.Set("Accept", tc.accept)
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("%s (%s): %s, want %d", tc.path, tc.accept, resp.Status, tc.want)
		}
	}
}

// TestSubscribersPerCallAreBounded: past MaxSubscribers a new subscriber
// is refused with 429 and a reason; the ones already there carry on.
func TestSubscribersPerCallAreBounded(t *testing.T) {
	h, clock := newTestHub(t, Config{MaxSubscribers: 1})
	srv := newTestServer(t, h)
	s := mustStart(t, h, "CA1", "MZa")
	first, msgs := openSSE(t, srv, "/v1/calls/"+s.CallID()+"/events", "")
	defer first.Body.Close()
	if m := <-msgs; m.id != "1" {
		t.Fatalf("first subscriber's first message %+v", m)
	}
	second, _ := openSSE(t, srv, "/v1/calls/"+s.CallID()+"/events", "")
	defer second.Body.Close()
	body, _ := io.ReadAll(second.Body)
	if second.StatusCode != http.StatusTooManyRequests || !strings.Contains(string(body), "subscribers") {
		t.Errorf("second subscriber: %s %s", second.Status, body)
	}
	s.Emit(final("inbound", "u1", "still here", 0, 1))
	s.End("stop")
	clock.Advance(10 * time.Second)
	if _, evs := collectSSE(t, msgs); !slices.Equal(types(evs), []event.Type{event.Transcript, event.CallEnded}) {
		t.Errorf("first subscriber after the refusal got %v", types(evs))
	}
}
