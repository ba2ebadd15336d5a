package deepgram

import (
	"encoding/json"
	"io"
	"log/slog"
	"sync"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/bridge/wsconn"
)

// wireMessage is the type of the events an outbox hands the session's
// writer: each carries one encoded Deepgram message in Text. They never
// leave the session.
const wireMessage event.Type = "deepgram.message"

// outbox is the session's wsconn.Source: the call's events, translated,
// and the messages the session adds (UtteranceEnds the audio made due,
// Finalize answers, Metadata). The translated ones go first; the added
// ones wait until no event is ready, so that Metadata follows the last
// finals.
type outbox struct {
	sub    bridge.Subscription
	log    *slog.Logger
	notify chan struct{} // one slot: added messages are waiting

	mu    sync.Mutex
	tr    *translator
	media float64  // seconds of audio received
	ready [][]byte // translated events
	added [][]byte // the session's own messages
}

func newOutbox(sub bridge.Subscription, tr *translator, log *slog.Logger) *outbox {
	return &outbox{sub: sub, tr: tr, log: log, notify: make(chan struct{}, 1)}
}

// do runs f on the translator, under the lock, and queues what it
// returns among the added messages.
func (o *outbox) do(f func(tr *translator, media float64) []any) {
	o.mu.Lock()
	o.added = o.encode(o.added, f(o.tr, o.media))
	o.mu.Unlock()
	select {
	case o.notify <- struct{}{}:
	default:
	}
}

// advance records the audio's progress and queues what it made due.
func (o *outbox) advance(media float64) {
	o.do(func(tr *translator, _ float64) []any {
		o.media = media
		return tr.media(media)
	})
}

func (o *outbox) encode(q [][]byte, msgs []any) [][]byte {
	for _, m := range msgs {
		b, err := json.Marshal(m)
		if err != nil {
			o.log.Error("deepgram message not encodable", "err", err)
			continue
		}
		q = append(q, b)
	}
	return q
}

// take translates one event of the call.
func (o *outbox) take(e event.Event) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.ready = o.encode(o.ready, o.tr.transcript(e, o.media))
}

// pop returns the next message: translated ones first, added ones only
// when events is false (no event is waiting).
func (o *outbox) pop(events bool) ([]byte, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	q := &o.ready
	if len(*q) == 0 && !events {
		q = &o.added
	}
	if len(*q) == 0 {
		return nil, false
	}
	m := (*q)[0]
	*q = (*q)[1:]
	return m, true
}

// Next implements wsconn.Source.
func (o *outbox) Next(wake <-chan struct{}) (event.Event, error) {
	for {
		if m, ok := o.pop(true); ok {
			return event.Event{Type: wireMessage, Text: string(m)}, nil
		}
		select {
		case e, ok := <-o.sub.C():
			if !ok {
				return o.drain()
			}
			o.take(e)
			continue
		default:
		}
		if m, ok := o.pop(false); ok {
			return event.Event{Type: wireMessage, Text: string(m)}, nil
		}
		select {
		case e, ok := <-o.sub.C():
			if !ok {
				return o.drain()
			}
			o.take(e)
		case <-o.notify:
		case <-wake:
			return event.Event{}, wsconn.ErrWoken
		}
	}
}

// drain returns what is left once the subscription ended, then why it
// ended.
func (o *outbox) drain() (event.Event, error) {
	if m, ok := o.pop(false); ok {
		return event.Event{Type: wireMessage, Text: string(m)}, nil
	}
	if err := o.sub.Err(); err != nil {
		return event.Event{}, err
	}
	return event.Event{}, io.EOF
}

// Close implements wsconn.Source.
func (o *outbox) Close() { o.sub.Close() }

// encodeWire is the feed's Encode: the message an outbox encoded.
func encodeWire(e event.Event) ([]byte, error) { return []byte(e.Text), nil }
