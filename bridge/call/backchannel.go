package call

import (
	"fmt"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/event"
)

// subscriber is what fan-out needs from a follower of a call. Both methods
// are called with the call's mu held.
type subscriber interface {
	// offer queues e without blocking and reports whether the subscriber
	// still wants events.
	offer(e event.Event, m *Metrics) bool
	// end stops the subscriber once what it queued is read.
	end(err error)
}

// backChannel is the subscription a transport takes to write events back
// on its own stream (bridge.Subscription). It is a buffered channel that
// fan-out fills directly: no goroutine, no copy beyond the channel. Every
// send and the close happen under the call's mu, so they never race.
//
// When the channel is three quarters full, partials are dropped (counted);
// the last quarter is kept for finals, DTMF and call.ended. If one of
// those finds the channel full, the channel closes and Err returns
// ErrSlowSubscriber.
type backChannel struct {
	call     *callState
	partials bool
	from     uint64
	ch       chan event.Event
	closed   bool  // call.mu
	err      error // call.mu
}

var _ bridge.Subscription = (*backChannel)(nil)

// C delivers the events; it is closed after call.ended, on Close, when the
// hub closes, or when the reader fell too far behind.
func (b *backChannel) C() <-chan event.Event { return b.ch }

// Err tells why C closed: nil after call.ended, ErrSubscriptionClosed,
// ErrHubClosed or ErrSlowSubscriber. It is nil while C is open.
func (b *backChannel) Err() error {
	b.call.mu.Lock()
	defer b.call.mu.Unlock()
	return b.err
}

// Close stops the deliveries and closes C.
func (b *backChannel) Close() {
	b.call.mu.Lock()
	defer b.call.mu.Unlock()
	b.end(ErrSubscriptionClosed)
	delete(b.call.subs, b)
}

func (b *backChannel) offer(e event.Event, m *Metrics) bool {
	if b.closed {
		return false
	}
	partial := isPartial(&e)
	if e.Seq < b.from || (partial && !b.partials) {
		return true
	}
	n, size := len(b.ch), cap(b.ch)
	switch {
	case partial && n >= size-size/4:
		m.SubscriberDrops.Add(1)
		return true
	case n == size:
		m.SlowSubscriberCloses.Add(1)
		b.end(fmt.Errorf("%w: call %s: back-channel full at seq %d", ErrSlowSubscriber, b.call.id, e.Seq))
		return false
	}
	b.ch <- e
	if e.Type == event.CallEnded {
		b.end(nil)
		return false
	}
	return true
}

func (b *backChannel) end(err error) {
	if !b.closed {
		b.closed, b.err = true, err
		close(b.ch)
	}
}

// subscribeBack registers a back-channel from seq from on, replaying the
// kept events since then into the channel.
func (c *callState) subscribeBack(from uint64, partials bool) *backChannel {
	b := &backChannel{call: c, partials: partials, from: from, ch: make(chan event.Event, c.hub.cfg.SubscriberQueue)}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, e := range c.history.since(from) {
		if !b.offer(e, &c.hub.metrics) {
			return b
		}
	}
	b.from = max(from, c.published+1)
	if c.ended {
		b.end(nil)
		return b
	}
	c.subs[b] = struct{}{}
	return b
}
