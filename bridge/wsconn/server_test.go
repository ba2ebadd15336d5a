package wsconn

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge/clock/clocktest"
)

// Pings follow the injected clock: none before the interval, one per
// interval after it, each answered by the peer's pong.
func TestSessionPingsOnItsClock(t *testing.T) {
	clk := clocktest.NewManual()
	opened := make(chan struct{})
	h := newHandler()
	h.open = func(context.Context, *Session) error { close(opened); return nil }
	_, url := serve(t, Config{PingInterval: 20 * time.Second, Clock: clk}, nil, h)
	conn := dial(t, url)
	pings := make(chan struct{}, 4)
	conn.SetPingHandler(func(data string) error {
		pings <- struct{}{}
		return conn.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(time.Second))
	})
	go func() {
		for {
			if _, _, err := conn.ReadMessage(); err != nil {
				return
			}
		}
	}()
	<-opened
	for round := range 3 {
		waitUntil(t, "the ping timer", func() bool { return clk.Pending() == 1 })
		clk.Advance(19 * time.Second)
		select {
		case <-pings:
			t.Fatalf("round %d: a ping before the interval", round)
		case <-time.After(20 * time.Millisecond):
		}
		clk.Advance(time.Second)
		select {
		case <-pings:
		case <-time.After(10 * time.Second):
			t.Fatalf("round %d: no ping after the interval", round)
		}
	}
}

// A peer that sends nothing, not even pongs, is given up after ReadTimeout.
func TestSessionGivesUpASilentPeer(t *testing.T) {
	h := newHandler()
	_, url := serve(t, Config{PingInterval: 10 * time.Millisecond, ReadTimeout: 50 * time.Millisecond}, nil, h)
	dial(t, url) // never read: gorilla answers pings only while reading
	start := time.Now()
	end := h.waitEnded(t)
	if end.Kind != EndPeerGone || !isTimeout(end.Err) {
		t.Errorf("Finish got %+v, want EndPeerGone on a timeout", end)
	}
	if waited := time.Since(start); waited > 5*time.Second {
		t.Errorf("gave up after %v", waited)
	}
}

func isTimeout(err error) bool {
	var ne interface{ Timeout() bool }
	return errors.As(err, &ne) && ne.Timeout()
}

// Shutdown ends a running session with 1001 after its Finish, waits for
// it, and refuses the next one with 1001.
func TestServerShutdownEndsAndRefusesSessions(t *testing.T) {
	h := newHandler()
	opened := make(chan struct{})
	h.open = func(context.Context, *Session) error { close(opened); return nil }
	finished := make(chan struct{})
	h.finish = func(Ending) { time.Sleep(50 * time.Millisecond); close(finished) }
	srv, url := serve(t, Config{}, nil, h)
	conn := dial(t, url)
	<-opened
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	select {
	case <-finished:
	default:
		t.Error("Shutdown returned before the session's Finish")
	}
	if end := h.waitEnded(t); end.Kind != EndShutdown {
		t.Errorf("Finish got %+v, want EndShutdown", end)
	}
	if ce, _ := closeOf(t, conn); ce.Code != 1001 || ce.Text != ReasonShuttingDown {
		t.Errorf("running session closed %d %q", ce.Code, ce.Text)
	}
	late := dial(t, url)
	if ce, _ := closeOf(t, late); ce.Code != 1001 || ce.Text != ReasonShuttingDown {
		t.Errorf("late session closed %d %q", ce.Code, ce.Text)
	}
}

func TestServerRefusesWhatAdmissionRefuses(t *testing.T) {
	h := newHandler()
	h.open = func(context.Context, *Session) error { t.Error("a refused session was opened"); return nil }
	_, url := serve(t, Config{}, func() error { return errors.New("16 tracks open") }, h)
	if ce, _ := closeOf(t, dial(t, url)); ce.Code != 1013 || ce.Text != ReasonOverloaded {
		t.Errorf("closed %d %q, want 1013 %q", ce.Code, ce.Text, ReasonOverloaded)
	}
}

func TestSessionRefusesAMessageTooBig(t *testing.T) {
	h := newHandler()
	_, url := serve(t, Config{MaxMessageBytes: 1024}, nil, h)
	conn := dial(t, url)
	if err := conn.WriteMessage(websocket.TextMessage, []byte(strings.Repeat("x", 2000))); err != nil {
		t.Fatal(err)
	}
	// gorilla/websocket sends its own 1009, without a reason, first.
	if ce, _ := closeOf(t, conn); ce.Code != 1009 {
		t.Errorf("closed %d %q, want 1009", ce.Code, ce.Text)
	}
	if end := h.waitEnded(t); end.Kind != EndClosed || end.Code != 1009 || !errors.Is(end.Err, websocket.ErrReadLimit) {
		t.Errorf("Finish got %+v", end)
	}
}

// A feed that ends may end its session with Close: the close frame goes
// out at once, and the session ends as soon as the peer answers it.
func TestSessionClosedWhenItsFeedEnds(t *testing.T) {
	sub := newBackChannel()
	h := newHandler()
	h.open = func(_ context.Context, s *Session) error {
		s.Follow(Feed{Source: Subscription(sub), Ended: func(err error) {
			s.Close(&CloseError{Code: 4000, Reason: "feed over", Err: err})
		}})
		return nil
	}
	_, url := serve(t, Config{WriteTimeout: time.Minute}, nil, h)
	conn := dial(t, url)
	gone := errors.New("hub closed")
	sub.end(gone)
	start := time.Now()
	ce, _ := closeOf(t, conn) // reading answers the close frame
	end := h.waitEnded(t)
	if ce.Code != 4000 || ce.Text != "feed over" || end.Kind != EndClosed || !errors.Is(end.Err, gone) {
		t.Errorf("peer read %d %q; Finish got %+v", ce.Code, ce.Text, end)
	}
	if waited := time.Since(start); waited > 10*time.Second {
		t.Errorf("the session waited %v, not for the peer's answer", waited)
	}
}

// A feed that ends with call.ended reports io.EOF; the session goes on.
func TestFeedEndsWithEOFAfterCallEnded(t *testing.T) {
	sub := newBackChannel()
	ended := make(chan error, 1)
	h := newHandler()
	h.open = func(_ context.Context, s *Session) error {
		s.Follow(Feed{Source: Subscription(sub), Ended: func(err error) { ended <- err }})
		return nil
	}
	h.message = func(bool, []byte) error { return ErrDone }
	_, url := serve(t, Config{}, nil, h)
	conn := dial(t, url)
	sub.end(nil)
	if err := <-ended; !errors.Is(err, io.EOF) {
		t.Errorf("Ended(%v), want io.EOF", err)
	}
	if err := conn.WriteMessage(websocket.TextMessage, []byte("stop")); err != nil {
		t.Fatal(err)
	}
	if end := h.waitEnded(t); end.Kind != EndDone {
		t.Errorf("Finish got %+v", end)
	}
}

func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}
