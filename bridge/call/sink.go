package call

import (
	"context"

	"github.com/callscribe/callscribe/bridge/event"
)

// Sink receives every event the hub produces, partials included, in seq
// order per call. Publish is called synchronously from the emitting
// goroutine, one call at a time per call (different calls run in parallel),
// so a sink may rely on that order; it should return quickly, and must
// return once ctx ends. It runs under the call's emit lock, so it must not
// call back into the hub for the same call (Emit, Transcript), which would
// wait for itself. An event counts as produced once every sink
// returned nil; an error is logged and counted, and the event still goes
// to subscribers.
type Sink interface {
	// Publish takes one event; nil means it is stored (or sent) for good.
	Publish(ctx context.Context, e event.Event) error
}

// SinkFunc adapts a function to the Sink interface, for example a webhook
// dispatcher's Enqueue:
//
//	call.SinkFunc(func(ctx context.Context, e event.Event) error { return d.Enqueue(ctx, &e) })
type SinkFunc func(ctx context.Context, e event.Event) error

// Publish calls f.
func (f SinkFunc) Publish(ctx context.Context, e event.Event) error { return f(ctx, e) }

// publish hands e to every sink in turn. The caller holds the call's emit
// lock, which is what keeps sink calls in seq order.
func (c *callState) publish(e event.Event) {
	for i, s := range c.hub.cfg.Sinks {
		ctx, cancel := context.WithTimeout(c.hub.ctx, c.hub.cfg.SinkTimeout)
		err := s.Publish(ctx, e)
		cancel()
		if err != nil {
			c.hub.metrics.SinkErrors.Add(1)
			c.log.Warn("sink failed", "sink", i, "seq", e.Seq, "type", e.Type, "err", err)
		}
	}
}
