package call

// Close ends the hub. Calls still open or waiting for a reconnect end now:
// their call.ended goes to sinks and subscribers (reason EndServerShutdown when a
// stream was still open), because a call this process cannot continue is
// over. Then pending timers stop, every subscription ends after its queued
// events (with io.EOF after call.ended, or ErrHubClosed), and the hub
// forgets its calls. Start and Subscribe fail with ErrHubClosed afterwards.
// Close is safe to call more than once; it returns nil.
func (h *Hub) Close() error {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return nil
	}
	h.closed = true
	calls := make([]*callState, 0, len(h.byID))
	var pending []*callState
	var reasons []string
	for _, c := range h.byID {
		calls = append(calls, c)
		c.mu.Lock()
		stopTimer(&c.grace)
		stopTimer(&c.retain)
		if !c.ending && !c.remote { // a follower's call ends on its node
			c.ending = true
			reason := c.endReason
			if len(c.live) > 0 {
				reason = EndServerShutdown
			}
			pending = append(pending, c)
			reasons = append(reasons, reason)
		}
		c.mu.Unlock()
	}
	clear(h.byKey)
	h.mu.Unlock()

	for i, c := range pending {
		c.finish(reasons[i])
	}
	// A grace callback that was already running when its timer was stopped
	// may still be emitting call.ended; wait for it before the sinks lose
	// their context.
	h.timers.Wait()
	h.cancel()
	for _, c := range calls {
		c.mu.Lock()
		for s := range c.subs {
			s.end(ErrHubClosed)
		}
		clear(c.subs)
		c.mu.Unlock()
	}
	h.mu.Lock()
	clear(h.byID)
	h.mu.Unlock()
	h.log.Info("call hub closed", "calls_ended", len(pending))
	return nil
}
