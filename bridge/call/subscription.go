package call

import (
	"context"
	"errors"
	"io"
	"sync"

	"github.com/callscribe/callscribe/bridge/event"
)

// SubscribeOptions choose what a subscription receives.
type SubscribeOptions struct {
	// Partials asks for partial transcripts too. They are only delivered
	// live: replay has finals, DTMF and call events only.
	Partials bool
	// FromSeq is the first seq wanted. Kept events from FromSeq on are
	// replayed before live ones; 0 and 1 both mean the whole call. If
	// FromSeq is older than the oldest kept event, replay starts there.
	FromSeq uint64
}

// Subscription follows one call: first the replay of kept events, then live
// events, in seq order. It is read by one goroutine with Next. It has no
// goroutine of its own, so subscribing is cheap.
type Subscription struct {
	call     *callState
	partials bool
	limit    int
	notify   chan struct{} // one pending wake-up; never closed

	mu       sync.Mutex
	replay   []event.Event // shared with the call's history: read only
	queue    []event.Event // live events, at most limit
	from     uint64        // live events below this seq are already in replay
	endErr   error         // no more events will be queued; Next returns it once drained
	closed   bool          // Close was called: Next stops at once
	finished bool          // call.ended was handed out
	last     uint64
	dropped  uint64
}

// errWoken is returned by next when its wake channel fired first.
var errWoken = errors.New("call: woken")

// Next returns the next event, waiting until there is one or ctx ends.
// After call.ended it returns io.EOF. A subscription ended by the hub
// returns its queued events first, then ErrSlowSubscriber or ErrHubClosed.
func (s *Subscription) Next(ctx context.Context) (event.Event, error) {
	return s.next(ctx, nil)
}

// next is Next that also returns errWoken when wake fires, so that the
// stream handlers can interleave heartbeats with events.
func (s *Subscription) next(ctx context.Context, wake <-chan struct{}) (event.Event, error) {
	for {
		s.mu.Lock()
		e, ok := s.pop()
		err := s.endErr
		switch {
		case ok:
			s.last = e.Seq
			s.finished = e.Type == event.CallEnded
		case s.closed:
			err = ErrSubscriptionClosed
		case s.finished:
			err = io.EOF
		}
		s.mu.Unlock()
		if ok {
			return e, nil
		}
		if err != nil {
			return event.Event{}, err
		}
		select {
		case <-s.notify:
		case <-wake:
			return event.Event{}, errWoken
		case <-ctx.Done():
			return event.Event{}, ctx.Err()
		}
	}
}

// pop takes the next event; the caller holds s.mu.
func (s *Subscription) pop() (event.Event, bool) {
	if s.closed {
		return event.Event{}, false
	}
	if len(s.replay) > 0 {
		e := s.replay[0]
		s.replay = s.replay[1:]
		return e, true
	}
	if len(s.queue) > 0 {
		e := s.queue[0]
		s.queue = s.queue[1:]
		return e, true
	}
	return event.Event{}, false
}

// Close ends the subscription: Next returns ErrSubscriptionClosed from now
// on. It is safe to call more than once and from any goroutine.
func (s *Subscription) Close() {
	s.mu.Lock()
	s.closed = true
	s.replay, s.queue = nil, nil
	s.mu.Unlock()
	s.wake()
	s.call.detach(s)
}

// CallID returns the id of the call followed.
func (s *Subscription) CallID() string { return s.call.id }

// LastSeq returns the seq of the last event Next returned, 0 before the
// first: a client that lost the subscription resumes from LastSeq()+1.
func (s *Subscription) LastSeq() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last
}

// Dropped returns how many partials this subscription lost to a full queue.
func (s *Subscription) Dropped() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dropped
}

// exhausted reports whether Next would return io.EOF without an event: the
// subscription starts after call.ended.
func (s *Subscription) exhausted() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.replay) == 0 && len(s.queue) == 0 && errors.Is(s.endErr, io.EOF)
}

func (s *Subscription) wake() {
	select {
	case s.notify <- struct{}{}:
	default:
	}
}
