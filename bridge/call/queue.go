package call

import (
	"fmt"
	"io"

	"github.com/callscribe/callscribe/bridge/event"
)

// The live queue of a subscription is bounded by Config.SubscriberQueue so
// that a slow reader never stalls the call. When it is full:
//   - an arriving partial is dropped (counted): a later partial or the final
//     of the same utterance supersedes it;
//   - an arriving final, DTMF or call event evicts the oldest queued partial;
//   - if no partial is queued, the subscription ends with ErrSlowSubscriber
//     after the queued events, rather than losing an event the client cannot
//     get back any other way than by resuming with FromSeq.

func isPartial(e *event.Event) bool { return e.Type == event.Transcript && !e.IsFinal }

// offer queues a live event without blocking. The caller holds the call's
// mu; offer reports whether the subscription still wants events.
func (s *Subscription) offer(e event.Event, m *Metrics) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || s.endErr != nil {
		return false
	}
	partial := isPartial(&e)
	if e.Seq < s.from || (partial && !s.partials) {
		return true
	}
	if len(s.queue) >= s.limit {
		if partial || s.evictPartial() {
			s.dropped++
			m.SubscriberDrops.Add(1)
		}
		if partial {
			return true
		}
		if len(s.queue) >= s.limit {
			m.SlowSubscriberCloses.Add(1)
			s.endErr = fmt.Errorf("%w: call %s: %d events queued at seq %d", ErrSlowSubscriber, s.call.id, len(s.queue), e.Seq)
			s.wake()
			return false
		}
	}
	s.queue = append(s.queue, e)
	if e.Type == event.CallEnded {
		s.endErr = io.EOF
	}
	s.wake()
	return s.endErr == nil
}

// evictPartial removes the oldest queued partial, if any.
func (s *Subscription) evictPartial() bool {
	for i := range s.queue {
		if isPartial(&s.queue[i]) {
			s.queue = append(s.queue[:i], s.queue[i+1:]...)
			return true
		}
	}
	return false
}

// end stops queueing: Next returns err once the queue is drained. A
// subscription that already has its end keeps it.
func (s *Subscription) end(err error) {
	s.mu.Lock()
	if s.endErr == nil {
		s.endErr = err
	}
	s.mu.Unlock()
	s.wake()
}
