package call

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/event"
)

// StartRequest describes a media stream a transport accepted: the
// platform's call identity (Key, required), the StreamID (required),
// Source, AccountSID, Tracks and CustomParameters. It is the transports'
// bridge.StreamStart, so that one type crosses the seam.
type StartRequest = bridge.StreamStart

// Start opens a stream. The first stream of a Key creates a call and emits
// call.started; a stream whose Key belongs to a call still open, or within
// Config.Grace of its last stream ending, continues that call (see
// Stream.Resumed and Stream.Offset). A new call's Start returns once the
// sinks took call.started. ctx is only checked on entry: sink calls are
// bounded by Config.SinkTimeout and the hub's life, like every sink call.
// Start fails with ErrBadRequest, ErrDuplicateStream, ErrHubClosed, or
// ctx's error.
func (h *Hub) Start(ctx context.Context, req StartRequest) (*Stream, error) {
	if req.Key == "" || req.StreamID == "" {
		return nil, fmt.Errorf("%w: key %q, stream %q", ErrBadRequest, req.Key, req.StreamID)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// A call another node held continues here when one of its streams
	// reconnects to this node (the registry knows it by its key).
	var adopted *callState
	if h.cfg.Registry != nil && !h.holds(req.Key) {
		var err error
		if adopted, err = h.adopt(ctx, req.Key); err != nil {
			return nil, err
		}
		if adopted != nil {
			// Subscribers here may follow the call already: they go on
			// with it, now local.
			adopted = h.promote(ctx, adopted) //nolint:contextcheck // bounded by SinkTimeout on the hub's context
		}
	}
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return nil, ErrHubClosed
	}
	if c, ok := h.byKey[req.Key]; ok {
		defer h.mu.Unlock()
		return c.resume(req)
	}
	if adopted != nil {
		h.byKey[req.Key], h.byID[adopted.id] = adopted, adopted
		defer h.mu.Unlock()
		return adopted.resume(req)
	}
	c := newCallState(h, h.newCallID(), req.Key, h.clock.Now())
	c.info = event.CallInfo{
		Source:           req.Source,
		AccountSID:       req.AccountSID,
		CustomParameters: maps.Clone(req.CustomParameters),
		StartedAt:        formatTime(c.startedAt),
	}
	// Nobody else can see c yet, so this cannot block; holding emitMu
	// until call.started is out makes it seq 1 whatever the stream emits.
	c.emitMu.Lock()
	defer c.emitMu.Unlock()
	c.mu.Lock()
	s := c.attach(req)
	info := c.info
	info.Tracks = slices.Clone(c.info.Tracks)
	c.mu.Unlock()
	h.byKey[req.Key], h.byID[c.id] = c, c
	h.mu.Unlock()

	c.openInRegistry(info) //nolint:contextcheck // bounded by SinkTimeout on the hub's context: ctx is only checked on entry
	h.metrics.CallsStarted.Add(1)
	c.log.Info("call started", "key", req.Key, "stream_id", req.StreamID, "source", req.Source)
	c.emitLocked(event.Event{Type: event.CallStarted, Call: &info}, req.StreamID) //nolint:contextcheck // as above
	return s, nil
}

// resume adds a stream to a call the hub holds. The caller holds h.mu.
func (c *callState) resume(req StartRequest) (*Stream, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.streamOpen(req.StreamID) {
		return nil, fmt.Errorf("%w: call %s, stream %s", ErrDuplicateStream, c.id, req.StreamID)
	}
	s := c.attach(req)
	c.hub.metrics.Reconnects.Add(1)
	c.log.Info("stream resumed call", "stream_id", req.StreamID, "offset_sec", s.offset, "streams", c.streams)
	return s, nil
}

// holds reports whether the hub holds an open call with this key.
func (h *Hub) holds(key string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	_, ok := h.byKey[key]
	return ok
}

// attach adds a stream to the call and cancels a pending grace period. The
// caller holds c.mu.
func (c *callState) attach(req StartRequest) *Stream {
	for _, t := range req.Tracks {
		if !slices.Contains(c.info.Tracks, t) {
			c.info.Tracks = append(c.info.Tracks, t)
		}
	}
	stopTimer(&c.grace)
	c.graceGen++
	c.streams++
	s := &Stream{call: c, id: req.StreamID, offset: c.media, startSeq: c.published + 1, resumed: c.streams > 1}
	c.live = append(c.live, s)
	return s
}

// streamOpen reports whether a stream with this id is open. The caller
// holds c.mu.
func (c *callState) streamOpen(id string) bool {
	return slices.ContainsFunc(c.live, func(s *Stream) bool { return s.id == id })
}

// newCallID returns an id no readable call has. The caller holds h.mu.
func (h *Hub) newCallID() string {
	for {
		var b [8]byte
		_, _ = rand.Read(b[:]) // never fails: crypto/rand aborts the process instead
		id := "call_" + hex.EncodeToString(b[:])
		if _, taken := h.byID[id]; !taken {
			return id
		}
	}
}
