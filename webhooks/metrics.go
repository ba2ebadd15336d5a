package webhooks

import (
	"context"
	"fmt"
	"sync/atomic"
)

// Metrics are the dispatcher's counters. They only grow; read them with
// Snapshot. Each Dispatcher has its own.
type Metrics struct {
	// Produced counts events accepted by Enqueue.
	Produced atomic.Uint64
	// EnqueueErrors counts Enqueue calls that failed to store their event.
	EnqueueErrors atomic.Uint64
	// Attempts counts HTTP requests made.
	Attempts atomic.Uint64
	// Delivered counts attempts answered with 2xx.
	Delivered atomic.Uint64
	// Retries counts failed attempts that were scheduled again.
	Retries atomic.Uint64
	// DeadLettered counts deliveries that failed their last attempt.
	DeadLettered atomic.Uint64
	// BreakerOpens counts circuit breakers opening (or reopening after a
	// failed probe).
	BreakerOpens atomic.Uint64
	// EndpointsDisabled counts endpoints disabled by a 410 answer.
	EndpointsDisabled atomic.Uint64
}

// MetricsSnapshot is a copy of Metrics at one moment.
type MetricsSnapshot struct {
	Produced          uint64 `json:"produced"`
	EnqueueErrors     uint64 `json:"enqueue_errors"`
	Attempts          uint64 `json:"attempts"`
	Delivered         uint64 `json:"delivered"`
	Retries           uint64 `json:"retries"`
	DeadLettered      uint64 `json:"dead_lettered"`
	BreakerOpens      uint64 `json:"breaker_opens"`
	EndpointsDisabled uint64 `json:"endpoints_disabled"`
}

// Snapshot returns the current values.
func (m *Metrics) Snapshot() MetricsSnapshot {
	return MetricsSnapshot{
		Produced:          m.Produced.Load(),
		EnqueueErrors:     m.EnqueueErrors.Load(),
		Attempts:          m.Attempts.Load(),
		Delivered:         m.Delivered.Load(),
		Retries:           m.Retries.Load(),
		DeadLettered:      m.DeadLettered.Load(),
		BreakerOpens:      m.BreakerOpens.Load(),
		EndpointsDisabled: m.EndpointsDisabled.Load(),
	}
}

// Backlog counts the deliveries waiting in the outbox: pending, due or
// not, in flight included. It asks the store, so with a shared store it is
// the backlog of every node, and it costs a query: the counters above
// cannot give it, since deliveries outlive the process and are requeued,
// deleted with their endpoint or completed by other nodes.
func (d *Dispatcher) Backlog(ctx context.Context) (int, error) {
	n, err := d.store.Pending(ctx)
	if err != nil {
		return 0, fmt.Errorf("webhooks: backlog: %w", err)
	}
	return n, nil
}
