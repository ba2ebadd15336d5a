package wsconn

import (
	"errors"
	"sync"

	"github.com/callscribe/callscribe/bridge/clock"
)

// writer owns a session's write side, on its own goroutine: gorilla allows
// one writer at a time. It pings the peer every PingInterval, forwards the
// feed's events and sends the close frame. Requests reach it through mu and
// a one-slot wake channel, which is also what a Source waits on, so one
// select-free loop serves all three.
type writer struct {
	s    *Session
	wake chan struct{}
	done chan struct{}

	mu      sync.Mutex
	next    *Feed  // a feed to start forwarding
	pingDue bool   // the ping timer fired
	closing *frame // the close frame to end with
	sent    bool   // the close frame went out; read once done is closed

	// Owned by the loop.
	feed  *Feed
	dead  bool // a write failed: the peer is gone
	timer clock.Timer
}

type frame struct {
	code   int
	reason string
}

func newWriter(s *Session) *writer {
	return &writer{s: s, wake: make(chan struct{}, 1), done: make(chan struct{})}
}

func (w *writer) signal() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

func (w *writer) follow(f Feed) {
	w.mu.Lock()
	w.next = &f
	w.mu.Unlock()
	w.signal()
}

// requestClose asks for the close frame; the first request wins.
func (w *writer) requestClose(code int, reason string) {
	w.mu.Lock()
	if w.closing == nil {
		w.closing = &frame{code, reason}
	}
	w.mu.Unlock()
	w.signal()
}

// closeSent waits for the writer to end and reports whether the close
// frame reached the connection.
func (w *writer) closeSent() bool {
	<-w.done
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.sent
}

func (w *writer) run() {
	defer close(w.done)
	w.armPing()
	defer func() { w.timer.Stop() }()
	for {
		w.mu.Lock()
		if w.next != nil {
			if w.feed != nil {
				w.feed.Source.Close()
			}
			w.feed, w.next = w.next, nil
		}
		closing, ping := w.closing, w.pingDue
		w.pingDue = false
		w.mu.Unlock()
		if closing != nil {
			w.finish(*closing)
			return
		}
		if ping {
			w.ping()
		}
		if w.feed == nil {
			<-w.wake
			continue
		}
		e, err := w.feed.Source.Next(w.wake)
		switch {
		case errors.Is(err, ErrWoken):
		case err != nil:
			w.end(err)
		default:
			w.send(e)
		}
	}
}

// armPing schedules the next ping. One timer at a time, re-armed after each
// ping; a callback that fires after the writer ended only fills wake.
func (w *writer) armPing() {
	w.timer = w.s.cfg.Clock.AfterFunc(w.s.cfg.PingInterval, func() {
		w.mu.Lock()
		w.pingDue = true
		w.mu.Unlock()
		w.signal()
	})
}
