package call

import (
	"context"
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
	if err := h.cfg.Registry.RenewCalls(ctx, h.cfg.Node, until, progress); err != nil {
		h.metrics.RegistryErrors.Add(1)
		h.log.Error("registry: leases not renewed; another node may end these calls", "calls", len(progress), "err", err)
	}
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
			"call_id", rec.CallID, "held_by", rec.Node, "utterances", len(transcript))
	}
	return len(recs), nil
}

// keepLeases renews the hub's leases every third of a lease and ends
// orphaned calls every half lease, until ctx or the hub ends.
func (h *Hub) keepLeases(ctx context.Context) {
	renew := startHeartbeat(h.clock, h.cfg.Lease/3)
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
