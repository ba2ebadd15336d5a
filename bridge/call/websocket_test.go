package call

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/bridge/wsconn"
)

func dialEvents(t *testing.T, srv string, path string) *websocket.Conn {
	t.Helper()
	conn, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv, "http")+path, nil)
	if err != nil {
		t.Fatalf("dial %s: %v", path, err)
	}
	resp.Body.Close()
	t.Cleanup(func() { conn.Close() })
	return conn
}

// readAll reads events until the server closes, and returns the close
// code.
func readAll(t *testing.T, conn *websocket.Conn) ([]event.Event, int) {
	t.Helper()
	evs, ce := readUntilClose(t, conn)
	return evs, ce.Code
}

// readUntilClose reads events until the server closes, and returns its
// close frame.
func readUntilClose(t *testing.T, conn *websocket.Conn) ([]event.Event, *websocket.CloseError) {
	t.Helper()
	var evs []event.Event
	conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	for {
		var e event.Event
		if err := conn.ReadJSON(&e); err != nil {
			var ce *websocket.CloseError
			if !errors.As(err, &ce) {
				t.Fatalf("after %d events: %v", len(evs), err)
			}
			return evs, ce
		}
		evs = append(evs, e)
	}
}

func TestWebSocketStreamsTheCall(t *testing.T) {
	for _, tc := range []struct {
		query string
		want  []uint64
	}{
		{"", []uint64{1, 2, 3, 4, 5, 6, 7, 8}},
		{"?partials=false", []uint64{1, 2, 4, 5, 7, 8}},
		{"?from_seq=2", []uint64{2, 3, 4, 5, 6, 7, 8}},
		{"?partials=false&from_seq=4", []uint64{4, 5, 7, 8}},
	} {
		t.Run(tc.query, func(t *testing.T) {
			h, clock := newTestHub(t, Config{})
			srv := newTestServer(t, h)
			s := mustStart(t, h, "CA1", "MZa", "inbound", "outbound")
			s.Emit(final("inbound", "i0", "hello", 0, 0.5)) // before the client: replayed
			conn := dialEvents(t, srv.URL, "/v1/calls/"+s.CallID()+"/events"+tc.query)
			scriptCall(s, clock)
			evs, code := readAll(t, conn)
			if !slices.Equal(seqs(evs), tc.want) || code != websocket.CloseNormalClosure {
				t.Fatalf("seqs %v close %d, want %v and 1000", seqs(evs), code, tc.want)
			}
			last := evs[len(evs)-1]
			if last.Type != event.CallEnded || len(last.Transcript) != 3 || last.CallID != s.CallID() {
				t.Errorf("last event %+v", last)
			}
		})
	}
}

func TestWebSocketPingsItsClient(t *testing.T) {
	h, clock := newTestHub(t, Config{})
	srv := newTestServer(t, h)
	s := mustStart(t, h, "CA1", "MZa")
	conn := dialEvents(t, srv.URL, "/v1/calls/"+s.CallID()+"/events")
	pings := make(chan struct{}, 4)
	conn.SetPingHandler(func(data string) error {
		pings <- struct{}{}
		return conn.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(time.Second))
	})
	got := make(chan uint64, 16)
	go func() {
		for {
			var e event.Event
			if conn.ReadJSON(&e) != nil {
				close(got)
				return
			}
			got <- e.Seq
		}
	}()
	if seq := <-got; seq != 1 {
		t.Fatalf("first event seq %d", seq)
	}
	waitFor(t, "the ping timer", func() bool { return clock.Pending() == 1 })
	clock.Advance(25 * time.Second)
	select {
	case <-pings:
	case <-time.After(10 * time.Second):
		t.Fatal("no ping after the ping interval")
	}
	s.Emit(event.Event{Type: event.DTMF, Digit: "1"})
	if seq := <-got; seq != 2 {
		t.Errorf("event after ping: seq %d", seq)
	}
}

func TestWebSocketUnknownCallIs404(t *testing.T) {
	h, _ := newTestHub(t, Config{})
	srv := newTestServer(t, h)
	_, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http")+"/v1/calls/call_0000/events", nil)
	if !errors.Is(err, websocket.ErrBadHandshake) || resp == nil || resp.StatusCode != http.StatusNotFound {
		t.Fatalf("dial unknown call: %v, %v", err, resp)
	}
	resp.Body.Close()
}

// A client that stops reading fills the socket's buffers, then its queue:
// the server sends what was queued and closes 1013, naming the seq to
// resume from, and the resumed subscription starts there.
func TestWebSocketClosesASlowSubscriber(t *testing.T) {
	h, _ := newTestHub(t, Config{SubscriberQueue: 2, WriteTimeout: time.Minute})
	srv := newTestServer(t, h)
	s := mustStart(t, h, "CA1", "MZa")
	path := "/v1/calls/" + s.CallID() + "/events"
	conn := dialEvents(t, srv.URL, path)
	text := strings.Repeat("x", 64<<10)
	for i := 0; h.Metrics().SlowSubscriberCloses.Load() == 0; i++ {
		if i == 5000 {
			t.Fatal("5000 finals of 64 KiB and the subscriber is not slow")
		}
		s.Emit(final("inbound", fmt.Sprint("u", i), text, float64(i), float64(i)+1))
	}
	evs, ce := readUntilClose(t, conn)
	if len(evs) == 0 {
		t.Fatal("no event before the close")
	}
	next := evs[len(evs)-1].Seq + 1
	want := fmt.Sprintf("slow subscriber: resume with from_seq=%d", next)
	if ce.Code != websocket.CloseTryAgainLater || ce.Text != want {
		t.Fatalf("closed %d %q, want 1013 %q", ce.Code, ce.Text, want)
	}
	again := dialEvents(t, srv.URL, fmt.Sprintf("%s?from_seq=%d", path, next))
	var e event.Event
	if err := again.ReadJSON(&e); err != nil || e.Seq != next {
		t.Errorf("resumed at seq %d (%v), want %d", e.Seq, err, next)
	}
}

func TestWebSocketCloseFrames(t *testing.T) {
	sub := &Subscription{last: 41}
	for _, tc := range []struct {
		err    error
		code   int
		reason string
	}{
		{io.EOF, 0, ""},
		{fmt.Errorf("%w: queue full", ErrSlowSubscriber), websocket.CloseTryAgainLater, "slow subscriber: resume with from_seq=42"},
		{ErrHubClosed, websocket.CloseGoingAway, "server shutting down"},
		{fmt.Errorf("%w: broken pipe", wsconn.ErrWriteFailed), websocket.CloseGoingAway, "subscription ended"},
	} {
		ce := (&eventsSocket{sub: sub}).closeFor(tc.err)
		switch {
		case tc.code == 0 && ce != nil:
			t.Errorf("%v: %+v, want the normal close (1000 call ended)", tc.err, ce)
		case tc.code != 0 && (ce == nil || ce.Code != tc.code || ce.Reason != tc.reason || !errors.Is(ce, tc.err)):
			t.Errorf("%v: %+v, want %d %q wrapping the cause", tc.err, ce, tc.code, tc.reason)
		}
	}
}
