package main

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/callscribe/callscribe/bridge"
)

// drainAdmission refuses every new call once the service drains, and
// otherwise asks the pipeline whether it has room.
type drainAdmission struct {
	draining *atomic.Bool
	next     bridge.Admission
}

// Admit implements bridge.Admission.
func (a drainAdmission) Admit() error {
	if a.draining.Load() {
		return fmt.Errorf("%w: new calls go to another node", bridge.ErrDraining)
	}
	return a.next.Admit()
}

// drainPoll is how often a draining service looks whether its calls ended.
const drainPoll = 100 * time.Millisecond

// drain is the first step of a graceful stop: readiness turns false and
// new calls are refused at once, while the live ones go on until they end
// or timeout passes (or ctx ends).
func (s *service) drain(ctx context.Context, timeout time.Duration) {
	s.draining.Store(true)
	live := s.hub.LiveCalls()
	s.log.Info("draining: refusing new calls, letting live ones finish", "live_calls", live, "drain_timeout", timeout)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	t := time.NewTicker(drainPoll)
	defer t.Stop()
	for live > 0 {
		select {
		case <-ctx.Done():
			s.log.Info("drain timeout: ending the calls still live", "live_calls", live)
			return
		case <-t.C:
			live = s.hub.LiveCalls()
		}
	}
	s.log.Info("drained: no live call left")
}
