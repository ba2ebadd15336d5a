package wsconn

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge/event"
)

// The writer's writes: pings, events, the close frame, and what a failed
// write does.

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
