package call

import (
	"context"
	"fmt"
	"time"

	"github.com/callscribe/callscribe/bridge/event"
)

// openInRegistry records a new call the hub holds. A registry that fails
// costs the call its recovery after a crash, not the call itself: the
// failure is logged and counted. The caller holds c.emitMu, so that the
// record exists before call.started can reach anyone.
func (c *callState) openInRegistry(info event.CallInfo) {
	h := c.hub
	if h.cfg.Registry == nil {
		return
	}
	ctx, cancel := context.WithTimeout(h.ctx, h.cfg.SinkTimeout)
	defer cancel()
	rec := CallRecord{CallID: c.id, Key: c.key, Node: h.cfg.Node, LeaseUntil: c.startedAt.Add(h.cfg.Lease),
		Info: info, StartedAt: c.startedAt, LastSeq: 1}
	if err := h.cfg.Registry.OpenCall(ctx, rec); err != nil {
		h.metrics.RegistryErrors.Add(1)
		c.log.Error("registry: call not recorded; a crash would leave it without call.ended", "err", err)
	}
}

// endInRegistry records that the call's call.ended was produced.
func (c *callState) endInRegistry(at time.Time) {
	h := c.hub
	if h.cfg.Registry == nil {
		return
	}
	ctx, cancel := context.WithTimeout(h.ctx, h.cfg.SinkTimeout)
	defer cancel()
	if err := h.cfg.Registry.EndCall(ctx, c.id, at); err != nil {
		h.metrics.RegistryErrors.Add(1)
		c.log.Warn("registry: call end not recorded; its lease will run out", "err", err)
	}
}

// renewLeases extends the lease of every call the hub holds, with how far
// each got.
func (h *Hub) renewLeases(ctx context.Context) {
	h.mu.Lock()
	progress := make([]CallProgress, 0, len(h.byKey))
	for _, c := range h.byKey {
		c.mu.Lock()
		if !c.ending {
			progress = append(progress, CallProgress{CallID: c.id, LastSeq: c.published, MediaSec: c.media})
		}
		c.mu.Unlock()
	}
	h.mu.Unlock()
	until := h.clock.Now().Add(h.cfg.Lease)
	lost, err := h.cfg.Registry.RenewCalls(ctx, h.cfg.Node, until, progress)
	if err != nil {
		h.metrics.RegistryErrors.Add(1)
		h.log.Error("registry: leases not renewed; another node may end these calls", "calls", len(progress), "err", err)
		return
	}
	h.lose(lost)
}

// RecoverOrphans ends the calls a dead process held (see Registry): each
// gets its call.ended, reason EndInterrupted, with the transcript stored so
// far, through the sinks. It returns how many it ended. Run calls it at
// start and then every half lease; a service may call it before it serves,
// so that the calls of its own previous run end first.
func (h *Hub) RecoverOrphans(ctx context.Context) (int, error) {
	if h.cfg.Registry == nil {
		return 0, nil
	}
	now := h.clock.Now()
	recs, err := h.cfg.Registry.TakeOrphans(ctx, OrphanQuery{Node: h.cfg.Node, Now: now, Until: now.Add(h.cfg.Lease), Boot: h.boot})
	if err != nil {
		h.metrics.RegistryErrors.Add(1)
		return 0, err
	}
	for _, rec := range recs {
		transcript, err := h.cfg.Registry.CallUtterances(ctx, rec.CallID)
		if err != nil {
			// The call.ended still goes out, with what could be read: a
			// CRM waiting for the end learns of it either way.
			h.log.Error("registry: orphaned call's transcript unreadable", "call_id", rec.CallID, "err", err)
		}
		e := interruptedEnd(rec, transcript, h.clock.Now())
		for i, s := range h.cfg.Sinks {
			sctx, cancel := context.WithTimeout(ctx, h.cfg.SinkTimeout)
			err := s.Publish(sctx, e)
			cancel()
			if err != nil {
				h.metrics.SinkErrors.Add(1)
				h.log.Error("sink failed on an orphaned call's end", "sink", i, "call_id", rec.CallID, "err", err)
			}
		}
		if err := h.cfg.Registry.EndCall(ctx, rec.CallID, now); err != nil {
			h.metrics.RegistryErrors.Add(1)
			h.log.Warn("registry: orphaned call's end not recorded", "call_id", rec.CallID, "err", err)
		}
		h.metrics.CallsRecovered.Add(1)
		h.log.Warn("call interrupted: its process ended without call.ended; ended it now",
			"call_id", rec.CallID, "utterances", len(transcript))
	}
	return len(recs), nil
}

// keepLeases renews the hub's leases every RenewInterval and ends
// orphaned calls every half lease, until ctx or the hub ends.
func (h *Hub) keepLeases(ctx context.Context) {
	renew := startHeartbeat(h.clock, h.cfg.RenewInterval)
	defer renew.stop()
	scan := startHeartbeat(h.clock, h.cfg.Lease/2)
	defer scan.stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-h.ctx.Done():
			return
		case <-renew.C:
			h.renewLeases(ctx)
			renew.arm()
		case <-scan.C:
			if _, err := h.RecoverOrphans(ctx); err != nil && ctx.Err() == nil {
				h.log.Error("registry: looking for orphaned calls", "err", err)
			}
			scan.arm()
		}
	}
}

// adopt takes over, from the registry, the open call with this key that
// another node held: a stream of it reconnected here. The call goes on
// with its id, its seq and its media time, and knows the finals stored so
// far (for call.ended's transcript, and to drop a final said twice). It
// returns nil when no call with that key is open.
func (h *Hub) adopt(ctx context.Context, key string) (*callState, error) {
	rctx, cancel := context.WithTimeout(ctx, h.cfg.SinkTimeout)
	defer cancel()
	rec, ok, err := h.cfg.Registry.AdoptCall(rctx, key, h.cfg.Node, h.clock.Now().Add(h.cfg.Lease))
	if err != nil {
		h.metrics.RegistryErrors.Add(1)
		return nil, fmt.Errorf("registry: adopting call %s: %w", key, err)
	}
	if !ok {
		return nil, nil
	}
	finals, err := h.cfg.Registry.CallUtterances(rctx, rec.CallID)
	if err != nil {
		h.metrics.RegistryErrors.Add(1)
		return nil, fmt.Errorf("registry: finals of call %s: %w", rec.CallID, err)
	}
	c := newCallState(h, rec.CallID, rec.Key, rec.StartedAt)
	c.info = rec.Info
	c.seq, c.published, c.media = rec.LastSeq, rec.LastSeq, rec.MediaSec
	// The stream that reconnected here is at least the call's second.
	c.streams = max(rec.Info.Streams, 1)
	for _, u := range finals {
		e := event.Event{Type: event.Transcript, IsFinal: true, Track: u.Track, UtteranceID: u.UtteranceID,
			Text: u.Text, Start: u.Start, End: u.End, Words: u.Words, Confidence: u.Confidence}
		c.rec.add(&e)
		// The recorded media time lags by up to a renewal; a stored final
		// ending later shows the audio got further, and the stream that
		// moves here must start after it.
		c.media = max(c.media, u.End)
	}
	h.metrics.CallsAdopted.Add(1)
	c.log.Warn("call adopted: a stream of it reconnected here", "last_seq", rec.LastSeq,
		"media_sec", rec.MediaSec, "finals", len(finals))
	return c, nil
}

// promote makes an adopted call local. If this hub follows the call for
// subscribers, the follower catches up and becomes the call, so they go on
// without a gap; otherwise the adopted state is the call.
func (h *Hub) promote(ctx context.Context, adopted *callState) *callState {
	h.mu.Lock()
	f, ok := h.byID[adopted.id]
	h.mu.Unlock()
	if !ok || !f.isRemote() {
		return adopted
	}
	pctx, cancel := context.WithTimeout(ctx, h.cfg.SinkTimeout)
	defer cancel()
	if err := f.pull(pctx); err != nil {
		f.log.Warn("catching up before taking the call over", "err", err)
	}
	f.emitMu.Lock()
	defer f.emitMu.Unlock()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.remote, f.key, f.info, f.startedAt = false, adopted.key, adopted.info, adopted.startedAt
	f.seq, f.media, f.streams = max(f.seq, adopted.seq), max(f.media, adopted.media), adopted.streams
	for _, u := range adopted.rec.finals {
		e := event.Event{Type: event.Transcript, IsFinal: true, Track: u.Track, UtteranceID: u.UtteranceID,
			Text: u.Text, Start: u.Start, End: u.End, Words: u.Words, Confidence: u.Confidence}
		if f.rec.accept(&e) {
			f.rec.add(&e)
		}
	}
	return f
}

// lose lets go of calls another node took over (or ended): their streams
// moved there, so this node says nothing more of them, call.ended
// included. With an EventLog the call becomes a follower and its
// subscribers here go on; without one they end with ErrCallMoved.
func (h *Hub) lose(ids []string) {
	for _, id := range ids {
		h.mu.Lock()
		c, ok := h.byID[id]
		if ok && h.byKey[c.key] == c {
			delete(h.byKey, c.key)
		}
		if ok && h.cfg.EventLog == nil {
			delete(h.byID, id)
		}
		h.mu.Unlock()
		if !ok {
			continue
		}
		c.emitMu.Lock()
		c.mu.Lock()
		c.graceGen++ // a grace timer already running does nothing now
		stopTimer(&c.grace)
		c.live = nil
		if h.cfg.EventLog != nil {
			c.remote = true
		} else {
			c.ending = true
			stopTimer(&c.retain)
			for s := range c.subs {
				s.end(ErrCallMoved)
			}
			clear(c.subs)
		}
		c.mu.Unlock()
		c.emitMu.Unlock()
		h.metrics.CallsLost.Add(1)
		c.log.Warn("call taken over by another node")
	}
}
