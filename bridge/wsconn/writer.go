package wsconn

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge/clock"
	"github.com/callscribe/callscribe/bridge/event"
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

func (w *writer) ping() {
	if w.dead {
		return
	}
	if err := w.s.conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(w.s.cfg.WriteTimeout)); err != nil {
		w.fail(err)
		return
	}
	w.armPing()
}

func (w *writer) send(e event.Event) {
	encode := w.feed.Encode
	if encode == nil {
		encode = marshalEvent
	}
	data, err := encode(e)
	if err != nil {
		w.s.Logger().Error("event not encodable", "seq", e.Seq, "type", e.Type, "err", err)
		return
	}
	if w.dead {
		return
	}
	_ = w.s.conn.SetWriteDeadline(time.Now().Add(w.s.cfg.WriteTimeout))
	if err := w.s.conn.WriteMessage(websocket.TextMessage, data); err != nil {
		w.fail(err)
	}
}

// fail marks the connection unwritable and ends the feed: its events still
// reach the hub's other subscribers and sinks.
func (w *writer) fail(err error) {
	w.dead = true
	w.s.Logger().Info("peer not writable; the call's events still reach subscribers and webhooks", "err", err)
	if w.feed != nil {
		w.end(fmt.Errorf("%w: %w", ErrWriteFailed, err))
	}
}

// end stops forwarding the feed, which ended with err.
func (w *writer) end(err error) {
	f := w.feed
	w.feed = nil
	f.Source.Close()
	if !errors.Is(err, io.EOF) && !errors.Is(err, ErrWriteFailed) {
		w.s.Logger().Info("event feed ended", "err", err)
	}
	if f.Ended != nil {
		f.Ended(err)
	}
}

// finish sends the events already queued, then the close frame. The
// session finished its handler first, so the stream's last finals are
// among what is queued.
func (w *writer) finish(fr frame) {
	if w.feed != nil {
		drained := make(chan struct{})
		close(drained)
		for w.feed != nil && !w.dead {
			e, err := w.feed.Source.Next(drained)
			if err != nil {
				break
			}
			w.send(e)
		}
		if w.feed != nil {
			w.feed.Source.Close()
			w.feed = nil
		}
	}
	if w.dead {
		return
	}
	err := w.s.conn.WriteControl(websocket.CloseMessage, FormatClose(fr.code, fr.reason), time.Now().Add(w.s.cfg.WriteTimeout))
	w.mu.Lock()
	w.sent = err == nil
	w.mu.Unlock()
}

// marshalEvent is a Feed's default encoding: callscribe's event schema.
func marshalEvent(e event.Event) ([]byte, error) { return json.Marshal(e) }
