package wsconn

// Writer is the transports' former writer, kept until twilio and listen run
// on Session.

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/event"
)

// writeTimeout bounds one write: a peer that stops reading must not hold
// the writer (and through it the call's subscription) forever.
const writeTimeout = 10 * time.Second

// Writer owns a WebSocket's write side: it pings the peer so idle proxies
// keep the connection, forwards the call's events when the stream asked for
// them, and sends the close frame. gorilla/websocket allows one writer at a
// time; Writer is it.
type Writer struct {
	conn *websocket.Conn
	ping time.Duration
	log  *slog.Logger
	subs chan bridge.Subscription
	stop chan closeRequest
	done chan struct{}
	once sync.Once
	mu   sync.Mutex // guards log
	sub  bridge.Subscription
	dead bool // a write failed: the peer is gone
}

type closeRequest struct {
	code   int
	reason string
}

// NewWriter returns a Writer for conn that pings every ping interval. Call
// Run in its own goroutine.
func NewWriter(conn *websocket.Conn, ping time.Duration, log *slog.Logger) *Writer {
	return &Writer{conn: conn, ping: ping, log: log, subs: make(chan bridge.Subscription, 1),
		stop: make(chan closeRequest, 1), done: make(chan struct{})}
}

// Follow starts forwarding a subscription's events. Call it at most once.
func (b *Writer) Follow(sub bridge.Subscription) { b.subs <- sub }

// SetLogger replaces the logger, once the call's identity is known.
func (b *Writer) SetLogger(log *slog.Logger) { b.mu.Lock(); b.log = log; b.mu.Unlock() }

// Close drains the events queued, sends the close frame with code and
// reason, closes the socket and waits for Run to return.
func (b *Writer) Close(code int, reason string) {
	b.once.Do(func() { b.stop <- closeRequest{code, reason} })
	<-b.done
}

// Run writes until Close. It outlives ctx on purpose: a stream that ends
// still drains its last events before the close frame.
func (b *Writer) Run(ctx context.Context) {
	defer close(b.done)
	ticker := time.NewTicker(b.ping)
	defer ticker.Stop()
	var events <-chan event.Event
	for {
		select {
		case sub := <-b.subs:
			b.sub = sub
			events = sub.C()
		case e, ok := <-events:
			if !ok {
				events = nil
				continue
			}
			b.send(e)
		case <-ticker.C:
			if !b.dead {
				if err := b.conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(writeTimeout)); err != nil {
					b.dead = true
				}
			}
		case req := <-b.stop:
			b.drain(events)
			if b.sub != nil {
				b.sub.Close()
			}
			if !b.dead {
				_ = b.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(req.code, clipReason(req.reason)), time.Now().Add(time.Second))
			}
			_ = b.conn.Close()
			return
		case <-ctx.Done():
			// The session goes on to finish and close; keep serving until
			// it asks.
			ctx = context.Background()
		}
	}
}

// drain sends the events already queued. The session closes its tracks
// (which emits their last finals into the subscription) before it asks to
// close, so what is queued now is everything this stream produced.
func (b *Writer) drain(events <-chan event.Event) {
	for events != nil {
		select {
		case e, ok := <-events:
			if !ok {
				return
			}
			b.send(e)
		default:
			return
		}
	}
}

func (b *Writer) send(e event.Event) {
	if b.dead {
		return
	}
	data, err := json.Marshal(e)
	if err != nil {
		b.logger().Error("encoding event", "err", err)
		return
	}
	_ = b.conn.SetWriteDeadline(time.Now().Add(writeTimeout))
	if err := b.conn.WriteMessage(websocket.TextMessage, data); err != nil {
		b.dead = true
		b.logger().Info("back-channel write failed; events still reach subscribers and webhooks", "err", err)
	}
}

func (b *Writer) logger() *slog.Logger {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.log
}

// maxReason is the most reason text a close frame carries: a control frame
// holds 125 bytes, two of which are the code.
const maxReason = 123

// clipReason shortens a close reason to fit, without splitting a character.
func clipReason(reason string) string {
	if len(reason) <= maxReason {
		return reason
	}
	cut := maxReason
	for cut > 0 && !utf8.RuneStart(reason[cut]) {
		cut--
	}
	return reason[:cut]
}
