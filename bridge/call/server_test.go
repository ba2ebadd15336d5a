package call

import (
	"github.com/callscribe/callscribe/bridge/clock/clocktest"

	"bufio"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/callscribe/callscribe/bridge/event"
)

// newTestServer serves the hub's endpoints on a loopback port.
func newTestServer(t *testing.T, h *Hub) *httptest.Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	h.Mount(mux)
	srv := httptest.NewUnstartedServer(mux)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

// waitFor polls cond until it holds or a generous deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// sseMessage is one Server-Sent Events message, or a comment.
type sseMessage struct {
	id, event, data, comment string
}

// openSSE requests the events of a call as Server-Sent Events and returns
// the response and, if it is 200, a channel of its messages that closes
// when the stream ends.
func openSSE(t *testing.T, srv *httptest.Server, path, lastEventID string) (*http.Response, <-chan sseMessage) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "text/event-stream")
	if lastEventID != "" {
		req.Header.Set("Last-Event-ID", lastEventID)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != http.StatusOK {
		return resp, nil
	}
	out := make(chan sseMessage, 64)
	go func() {
		defer close(out)
		sc := bufio.NewScanner(resp.Body)
		var m sseMessage
		for sc.Scan() {
			line := sc.Text()
			field, value, _ := strings.Cut(line, ":")
			value = strings.TrimPrefix(value, " ")
			switch field {
			case "":
				if line == "" {
					if m != (sseMessage{}) {
						out <- m
					}
					m = sseMessage{}
				} else {
					m.comment = value
				}
			case "id":
				m.id = value
			case "event":
				m.event = value
			case "data":
				m.data = value
			}
		}
	}()
	return resp, out
}

// collectSSE reads messages until the stream ends, keeping the events.
func collectSSE(t *testing.T, msgs <-chan sseMessage) ([]sseMessage, []event.Event) {
	t.Helper()
	var raw []sseMessage
	var evs []event.Event
	timeout := time.After(30 * time.Second)
	for {
		select {
		case m, ok := <-msgs:
			if !ok {
				return raw, evs
			}
			if m.comment != "" {
				continue
			}
			var e event.Event
			if err := json.Unmarshal([]byte(m.data), &e); err != nil {
				t.Fatalf("data %q: %v", m.data, err)
			}
			raw, evs = append(raw, m), append(evs, e)
		case <-timeout:
			t.Fatalf("stream did not end; got %d events", len(evs))
		}
	}
}

// scriptCall plays a short two-track call on s and ends it.
func scriptCall(s *Stream, clock *clocktest.Manual) {
	s.Emit(partial("outbound", "o1", "how", 1))
	s.Emit(final("outbound", "o1", "how can I help", 1, 2))
	s.Emit(event.Event{Type: event.DTMF, Digit: "3"})
	s.Emit(partial("inbound", "i1", "my", 2.5))
	s.Emit(final("inbound", "i1", "my order", 2.5, 3))
	s.End("stop")
	clock.Advance(10 * time.Second)
}
