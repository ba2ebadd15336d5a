package call

import (
	"github.com/callscribe/callscribe/bridge/clock"

	"log/slog"
	"sync"
	"time"

	"github.com/callscribe/callscribe/bridge/event"
)

// callState is one call: its streams, its numbering, what it kept and who
// follows it.
//
// Locks, always taken in this order: Hub.mu, callState.mu,
// Subscription.mu. emitMu is taken with none of them held (or, for a call
// being created, before anyone else can see it).
type callState struct {
	hub       *Hub
	id        string
	key       string
	log       *slog.Logger
	startedAt time.Time

	// emitMu serialises numbering, sink calls and fan-out, so that sinks
	// and subscribers see the call in one order: seq order.
	emitMu sync.Mutex
	seq    uint64 // last seq given out; emitMu
	rec    record // finals and counts; emitMu

	mu        sync.Mutex
	info      event.CallInfo // source, account, tracks, parameters
	published uint64         // seq of the last event fanned out
	history   history
	subs      map[subscriber]struct{}
	live      []*Stream // streams not yet ended
	streams   int       // streams ever started
	media     float64   // call media time reached, seconds
	speech    map[string]float64
	endReason string
	lastEnd   time.Time // when the last stream ended
	grace     clock.Timer
	graceGen  uint64 // bumped by every Start and End; a stale grace timer sees a different value
	retain    clock.Timer
	ending    bool // call.ended is decided; Hub.mu and mu
	// remote marks a follower: a call another node holds, fed from the
	// EventLog for this hub's subscribers (emitMu and mu).
	remote  bool
	ended   bool      // call.ended was emitted; emitMu and mu
	endedAt time.Time // call.ended's ended_at
}

func newCallState(h *Hub, id, key string, now time.Time) *callState {
	return &callState{
		hub:       h,
		id:        id,
		key:       key,
		log:       h.log.With("call_id", id),
		startedAt: now,
		history:   history{max: h.cfg.MaxHistory},
		subs:      make(map[subscriber]struct{}),
		rec:       newRecord(),
	}
}

// emitLocked numbers, stamps, records and hands on e. The caller holds
// emitMu.
func (c *callState) emitLocked(e event.Event, streamID string) {
	if c.ended {
		c.hub.metrics.EventsRejected.Add(1)
		c.log.Debug("event after call.ended dropped", "type", e.Type, "stream_id", streamID)
		return
	}
	if e.Type == event.Transcript && !c.rec.accept(&e) {
		if e.IsFinal {
			c.hub.metrics.FinalsDeduplicated.Add(1)
			c.log.Debug("duplicate final dropped", "utterance_id", e.UtteranceID, "stream_id", streamID)
		} else {
			c.hub.metrics.EventsRejected.Add(1)
		}
		return
	}
	c.seq++
	e.CallID, e.Seq, e.Time = c.id, c.seq, formatTime(c.hub.clock.Now())
	if e.StreamID == "" {
		e.StreamID = streamID
	}
	c.rec.add(&e)
	c.hub.metrics.EventsEmitted.Add(1)
	c.publish(e)
	c.fanout(e)
}

// fanout keeps e for replay and queues it to every subscriber. Doing both
// under mu is what makes Subscribe see each event either in its replay or
// live, never both and never neither.
func (c *callState) fanout(e event.Event) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.published = e.Seq
	if !isPartial(&e) {
		c.history.add(e)
	}
	for s := range c.subs {
		if !s.offer(e, &c.hub.metrics) {
			delete(c.subs, s)
		}
	}
	if e.Type == event.CallEnded {
		c.ended = true
		clear(c.subs)
	}
}

// detach forgets a subscriber.
func (c *callState) detach(s subscriber) {
	c.mu.Lock()
	delete(c.subs, s)
	c.mu.Unlock()
}
