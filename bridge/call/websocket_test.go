package call

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/callscribe/callscribe/bridge/event"
	"github.com/gorilla/websocket"
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
	var evs []event.Event
	conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	for {
		var e event.Event
		if err := conn.ReadJSON(&e); err != nil {
			var ce *websocket.CloseError
			if !errors.As(err, &ce) {
				t.Fatalf("after %d events: %v", len(evs), err)
			}
			return evs, ce.Code
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
