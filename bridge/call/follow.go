package call

import (
	"context"
	"fmt"
	"time"

	"github.com/callscribe/callscribe/bridge/event"
)

// EventLog is where every node's hub finds the events of calls other nodes
// hold: each hub appends what it produces (the log is one of its Sinks),
// and follows from it a call it does not hold when a client subscribes to
// it here. With PostgreSQL it is a table and a LISTEN/NOTIFY channel.
type EventLog interface {
	// Events returns a call's stored events with seq >= from, in seq
	// order, at most limit.
	Events(ctx context.Context, callID string, from uint64, limit int) ([]event.Event, error)
	// Watch calls notify with a call's id each time any node appends an
	// event of it, until ctx ends. Notifications may be lost or repeated:
	// followers also poll.
	Watch(ctx context.Context, notify func(callID string)) error
}

// followPoll is how often followers pull their call's events when no
// notification came: a notification may be lost.
const followPoll = time.Second

// follow makes a follower of a call another node holds: a callState fed
// from the EventLog, whose subscribers get replay and live events as if
// the call were local. It fails with ErrUnknownCall when the log has no
// event of the call and the Registry no open call of that id.
func (h *Hub) follow(ctx context.Context, callID string) (*callState, error) {
	c := newCallState(h, callID, "", h.clock.Now())
	c.remote = true
	if err := c.pull(ctx); err != nil {
		return nil, err
	}
	if c.published == 0 {
		// A node records a call in the Registry before it appends the
		// call's first event, so a client that found the call in a list
		// may subscribe in between: follow it when the Registry has it
		// open, and the notifications bring its events.
		open, err := h.openElsewhere(ctx, callID)
		if err != nil {
			return nil, err
		}
		if !open {
			return nil, fmt.Errorf("%w: %q", ErrUnknownCall, callID)
		}
	}
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return nil, ErrHubClosed
	}
	if have, ok := h.byID[callID]; ok {
		h.mu.Unlock()
		return have, nil // made meanwhile, by a subscriber or a reconnect
	}
	h.byID[callID] = c
	h.mu.Unlock()
	h.metrics.CallsFollowed.Add(1)
	c.log.Info("following a call another node holds", "last_seq", c.published)
	if c.isEnded() {
		h.retainEnded(c)
	}
	return c, nil
}

// openElsewhere reports whether the Registry lists callID as an open call
// of another node.
func (h *Hub) openElsewhere(ctx context.Context, callID string) (bool, error) {
	if h.cfg.Registry == nil {
		return false, nil
	}
	recs, err := h.cfg.Registry.Calls(ctx, h.clock.Now())
	if err != nil {
		return false, fmt.Errorf("call: looking up %s: %w", callID, err)
	}
	for _, r := range recs {
		if r.CallID == callID && r.EndedAt.IsZero() && r.Node != h.cfg.Node {
			return true, nil
		}
	}
	return false, nil
}

// pull fetches the events the follower has not seen and delivers them.
func (c *callState) pull(ctx context.Context) error {
	c.emitMu.Lock()
	defer c.emitMu.Unlock()
	if !c.remote {
		return nil // promoted: the call is local now
	}
	for {
		c.mu.Lock()
		from, ended := c.published+1, c.ended
		c.mu.Unlock()
		if ended {
			return nil
		}
		es, err := c.hub.cfg.EventLog.Events(ctx, c.id, from, 500)
		if err != nil {
			return fmt.Errorf("call: following %s: %w", c.id, err)
		}
		for _, e := range es {
			c.seq = max(c.seq, e.Seq)
			if e.Type == event.Transcript {
				// How far the call's audio got, as far as this node can
				// tell: a stream that moves here starts after it.
				c.mu.Lock()
				c.media = max(c.media, e.End)
				c.mu.Unlock()
			}
			c.rec.add(&e)
			c.fanout(e)
		}
		if len(es) < 500 {
			return nil
		}
	}
}

// followLoop feeds the followers: on each notification of their call, and
// every followPoll, until ctx or the hub ends. An ended follower is
// forgotten after the retention like a local call.
func (h *Hub) followLoop(ctx context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := context.AfterFunc(h.ctx, cancel) //nolint:contextcheck // the loop ends with ctx or with the hub, whichever first
	defer stop()
	go func() {
		if err := h.cfg.EventLog.Watch(ctx, func(id string) { h.pullFollower(ctx, id) }); err != nil && ctx.Err() == nil {
			h.log.Error("event log: watching for other nodes' events stopped; followers poll", "err", err)
		}
	}()
	beat := startHeartbeat(h.clock, followPoll)
	defer beat.stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-beat.C:
			for _, id := range h.followers() {
				h.pullFollower(ctx, id)
			}
			beat.arm()
		}
	}
}

// pullFollower pulls a follower's new events, if callID is one.
func (h *Hub) pullFollower(ctx context.Context, callID string) {
	h.mu.Lock()
	c, ok := h.byID[callID]
	h.mu.Unlock()
	if !ok || !c.isRemote() {
		return
	}
	wasEnded := c.isEnded()
	if err := c.pull(ctx); err != nil {
		c.log.Warn("following a call", "err", err)
	}
	if !wasEnded && c.isEnded() {
		h.retainEnded(c)
	}
}

// followers lists the calls the hub follows and that have not ended.
func (h *Hub) followers() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var ids []string
	for id, c := range h.byID {
		if c.isRemote() && !c.isEnded() {
			ids = append(ids, id)
		}
	}
	return ids
}

func (c *callState) isRemote() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.remote
}

func (c *callState) isEnded() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ended
}
