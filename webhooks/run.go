package webhooks

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Run delivers due webhooks and enforces retention until ctx ends. It
// returns nil once ctx is done and every delivery worker it started has
// exited; requests in flight are abandoned and their deliveries released for
// another attempt. Only one Run may be active per Dispatcher (ErrRunning).
// Store errors are logged and retried at the next scan, never returned.
func (d *Dispatcher) Run(ctx context.Context) error {
	if !d.running.CompareAndSwap(false, true) {
		return ErrRunning
	}
	defer d.running.Store(false)
	var wg sync.WaitGroup
	defer wg.Wait()

	poll := time.NewTicker(d.cfg.PollInterval)
	defer poll.Stop()
	prune := time.NewTicker(d.cfg.PruneInterval)
	defer prune.Stop()
	d.prune(ctx)
	for {
		d.dispatch(ctx, &wg)
		select {
		case <-ctx.Done():
			return nil
		case <-poll.C:
		case <-d.wake:
		case <-prune.C:
			d.prune(ctx)
		}
	}
}

// dispatch claims due deliveries of every enabled endpoint, as many as the
// endpoint has free slots, and starts one worker per delivery.
func (d *Dispatcher) dispatch(ctx context.Context, wg *sync.WaitGroup) {
	eps, err := d.store.Endpoints(ctx)
	if err != nil {
		if ctx.Err() == nil {
			d.log.Error("webhooks: listing endpoints", "error", err)
		}
		return
	}
	d.forgetOthers(eps)
	for _, ep := range eps {
		if ep.Disabled || ctx.Err() != nil {
			continue
		}
		now := d.clock.Now()
		n := d.freeSlots(ep.ID, now)
		if n == 0 {
			continue
		}
		// Each claim has its own lease token, so that a delivery claimed
		// again after its lease expired is not completed by both claimers.
		l := lease{token: fmt.Sprintf("%s-%d", d.owner, d.claims.Add(1)), until: now.Add(d.cfg.Lease)}
		claimed, err := d.store.Claim(ctx, ClaimRequest{EndpointID: ep.ID, Owner: l.token, Now: now, Lease: d.cfg.Lease, Limit: n})
		if err != nil {
			if ctx.Err() == nil {
				d.log.Error("webhooks: claiming deliveries", "endpoint", ep.ID, "error", err)
			}
			continue
		}
		for _, dl := range claimed {
			d.acquire(ep.ID)
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer d.releaseSlot(ep.ID)
				d.attempt(ctx, ep, dl, l)
			}()
		}
	}
}

// lease is a claim on deliveries: its token and when it expires.
type lease struct {
	token string
	until time.Time
}

// freeSlots returns how many more requests endpoint id may have in flight:
// none while its breaker is open, one probe when half-open.
func (d *Dispatcher) freeSlots(id string, now time.Time) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	limit := d.cfg.Concurrency
	switch d.breakerLocked(id).State(now) {
	case BreakerOpen:
		return 0
	case BreakerHalfOpen:
		limit = 1
	}
	return max(limit-d.inflight[id], 0)
}

func (d *Dispatcher) acquire(id string) {
	d.mu.Lock()
	d.inflight[id]++
	d.mu.Unlock()
}

// releaseSlot frees a slot and asks for a scan: the next event of the call
// may now be due.
func (d *Dispatcher) releaseSlot(id string) {
	d.mu.Lock()
	d.inflight[id]--
	d.mu.Unlock()
	d.poke()
}

func (d *Dispatcher) breakerLocked(id string) *Breaker {
	b := d.breakers[id]
	if b == nil {
		b = NewBreaker(d.cfg.BreakerThreshold, d.cfg.BreakerCooldown)
		d.breakers[id] = b
	}
	return b
}

// forgetOthers drops the state of endpoints that no longer exist.
func (d *Dispatcher) forgetOthers(eps []Endpoint) {
	keep := make(map[string]bool, len(eps))
	for _, e := range eps {
		keep[e.ID] = true
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	for id := range d.breakers {
		if !keep[id] && d.inflight[id] == 0 {
			delete(d.breakers, id)
			delete(d.inflight, id)
		}
	}
}

// prune enforces the retention settings.
func (d *Dispatcher) prune(ctx context.Context) {
	now := d.clock.Now()
	res, err := d.store.Prune(ctx, PruneRequest{
		DeliveredBefore:   now.Add(-d.cfg.DeliveredRetention),
		DeadBefore:        now.Add(-d.cfg.DeadRetention),
		TranscriptsBefore: now.Add(-d.cfg.TranscriptRetention),
		EventsBefore:      now.Add(-d.cfg.EventRetention),
	})
	switch {
	case err != nil && ctx.Err() == nil:
		d.log.Error("webhooks: pruning", "error", err)
	case res != PruneResult{}:
		d.log.Info("webhooks: pruned", "deliveries", res.Deliveries, "messages", res.Messages, "transcripts", res.Transcripts)
	}
}

// Flush waits, while Run delivers, until no pending delivery is due: what
// was produced before it has had its attempt. A delivery that failed and
// waits for a retry later does not hold it up (the outbox keeps it for the
// next start). It returns ctx's error if ctx ends first. A stopping
// service calls it between ending its calls and stopping Run, so that the
// last call.ended events leave before the process does.
func (d *Dispatcher) Flush(ctx context.Context) error {
	for {
		due, err := d.dueDeliveries(ctx)
		if err != nil {
			return err
		}
		if due == 0 {
			return nil
		}
		d.poke()
		t := time.NewTimer(20 * time.Millisecond)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("webhooks: flush: %d deliveries still due: %w", due, ctx.Err())
		case <-t.C:
		}
	}
}

// dueDeliveries counts the pending deliveries whose attempt is due now:
// the first pending one of each call and endpoint (the others wait behind
// it, in order), if its time has come.
func (d *Dispatcher) dueDeliveries(ctx context.Context) (int, error) {
	now, due := d.clock.Now(), 0
	first := map[[2]string]bool{}
	q := DeliveryQuery{Status: StatusPending, Limit: 500}
	for {
		ds, err := d.store.Deliveries(ctx, q)
		if err != nil {
			return 0, fmt.Errorf("webhooks: flush: %w", err)
		}
		for _, dl := range ds {
			key := [2]string{dl.CallID, dl.EndpointID}
			if first[key] {
				continue
			}
			first[key] = true
			if !dl.NextAt.After(now) {
				due++
			}
		}
		if len(ds) < q.Limit {
			return due, nil
		}
		q.AfterID = ds[len(ds)-1].ID
	}
}
