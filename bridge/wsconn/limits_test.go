package wsconn

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/clock/clocktest"
	"github.com/callscribe/callscribe/bridge/event"
)

// limitRig serves a handler that counts binary messages as media and
// writes a last text message in Finish, on a manual clock.
func limitRig(t *testing.T, cfg Config) (*clocktest.Manual, string, *handler, chan struct{}) {
	t.Helper()
	clk := clocktest.NewManual()
	cfg.Clock = clk
	h := newHandler()
	opened := make(chan struct{})
	var sess *Session
	back := newBackChannel()
	h.open = func(_ context.Context, s *Session) error {
		sess = s
		s.Follow(Feed{Source: Subscription(back)})
		close(opened)
		return nil
	}
	h.message = func(binary bool, _ []byte) error {
		if binary {
			sess.MediaArrived()
		}
		return nil
	}
	// The last final of a stream is emitted while it finishes.
	h.finish = func(Ending) { back.ch <- event.Event{Type: event.Transcript, Text: "last final"} }
	_, url := serve(t, cfg, nil, h)
	return clk, url, h, opened
}

// TestMaxDurationEndsTheSession: past MaxDuration the session ends with
// 1008, and Finish's last words still reach the peer before the close.
func TestMaxDurationEndsTheSession(t *testing.T) {
	// Pings far apart: the manual clock would fire them by the hundred.
	clk, url, h, opened := limitRig(t, Config{MaxDuration: time.Hour, PingInterval: 10 * time.Hour, ReadTimeout: 20 * time.Hour})
	conn := dial(t, url)
	<-opened
	for clk.Pending() < 2 { // the ping and the limit
		time.Sleep(time.Millisecond)
	}
	clk.Advance(59 * time.Minute)
	if err := conn.WriteMessage(websocket.BinaryMessage, []byte{1}); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Minute)
	ce, texts := closeOf(t, conn)
	if ce.Code != websocket.ClosePolicyViolation || ce.Text != ReasonTooLong || len(texts) != 1 || !strings.Contains(texts[0], "last final") {
		t.Errorf("close %d %q after %q", ce.Code, ce.Text, texts)
	}
	if end := h.waitEnded(t); end.Kind != EndClosed || end.Reason != ReasonTooLong {
		t.Errorf("ending %+v", end)
	}
}

// TestMediaTimeoutEndsASilentSession: pings keep the connection, media
// keeps the session; with no media for MediaTimeout it ends with 1008.
func TestMediaTimeoutEndsASilentSession(t *testing.T) {
	clk, url, h, opened := limitRig(t, Config{MediaTimeout: 30 * time.Second, PingInterval: 10 * time.Hour, ReadTimeout: 20 * time.Hour})
	conn := dial(t, url)
	<-opened
	for clk.Pending() < 2 { // the ping and the limit
		time.Sleep(time.Millisecond)
	}
	for range 3 { // media every 20 s: the session lives on
		clk.Advance(20 * time.Second)
		if err := conn.WriteMessage(websocket.BinaryMessage, []byte{1}); err != nil {
			t.Fatal(err)
		}
		// A text message is no media, but it tells us the binary one
		// before it was handled.
		if err := conn.WriteMessage(websocket.TextMessage, []byte("x")); err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	clk.Advance(29 * time.Second)
	select {
	case end := <-h.ended:
		t.Fatalf("ended after 29 s without media: %+v", end)
	case <-time.After(100 * time.Millisecond):
	}
	clk.Advance(2 * time.Second)
	ce, _ := closeOf(t, conn)
	if ce.Code != websocket.ClosePolicyViolation || ce.Text != ReasonNoMedia {
		t.Errorf("close %d %q", ce.Code, ce.Text)
	}
}

// TestDrainingRefusesWithGoingAway: an admission that says the server
// drains gets 1001, not the 1013 of a full server.
func TestDrainingRefusesWithGoingAway(t *testing.T) {
	_, url := serve(t, Config{}, func() error { return fmt.Errorf("stopping: %w", bridge.ErrDraining) }, newHandler())
	ce, _ := closeOf(t, dial(t, url))
	if ce.Code != websocket.CloseGoingAway || ce.Text != ReasonShuttingDown {
		t.Errorf("close %d %q", ce.Code, ce.Text)
	}
}

// TestNoMediaCloseIsConfigurable: a protocol with its own close for a
// silent stream (Deepgram's) gets it.
func TestNoMediaCloseIsConfigurable(t *testing.T) {
	clk, url, _, opened := limitRig(t, Config{MediaTimeout: 10 * time.Second, PingInterval: 10 * time.Hour, ReadTimeout: 20 * time.Hour,
		NoMediaCode: websocket.CloseInternalServerErr, NoMediaReason: "NET-0001"})
	conn := dial(t, url)
	<-opened
	for clk.Pending() < 2 {
		time.Sleep(time.Millisecond)
	}
	clk.Advance(11 * time.Second)
	if ce, _ := closeOf(t, conn); ce.Code != websocket.CloseInternalServerErr || ce.Text != "NET-0001" {
		t.Errorf("close %d %q", ce.Code, ce.Text)
	}
}

// TestSubprotocolSelection: the server selects one of its subprotocols
// among the client's offer, never another of the client's values (a
// browser's credential).
func TestSubprotocolSelection(t *testing.T) {
	_, url := serve(t, Config{Subprotocols: []string{"token", "bearer"}}, nil, newHandler())
	d := websocket.Dialer{Subprotocols: []string{"token", "cs_secret"}}
	conn, resp, err := d.Dial(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	resp.Body.Close()
	if got := conn.Subprotocol(); got != "token" {
		t.Errorf("selected %q, want token", got)
	}
}
