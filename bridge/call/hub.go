package call

import (
	"errors"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/clock"

	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/callscribe/callscribe/bridge/event"
)

// Hub numbers the events of every call, hands them to sinks and
// subscribers, and ends calls. Its methods are safe for concurrent use.
type Hub struct {
	cfg   Config
	clock clock.Clock
	log   *slog.Logger
	// boot is when the hub was made: calls its Node opened before belong
	// to an earlier process.
	boot    time.Time
	metrics Metrics

	// ctx bounds sink calls; it ends when the hub closes.
	ctx    context.Context
	cancel context.CancelFunc
	// timers counts armed grace and retention timers and running
	// callbacks, so that Close returns only once none is left.
	timers sync.WaitGroup

	mu     sync.Mutex
	byKey  map[string]*callState // calls open or in grace, by platform key
	byID   map[string]*callState // every call still readable, by call id
	closed bool
}

// New returns a hub configured by cfg, after WithDefaults and Validate.
func New(cfg Config) (*Hub, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.WithDefaults()
	ctx, cancel := context.WithCancel(context.Background())
	return &Hub{
		cfg:    cfg,
		clock:  cfg.Clock,
		boot:   cfg.Clock.Now(),
		log:    cfg.Logger,
		ctx:    ctx,
		cancel: cancel,
		byKey:  make(map[string]*callState),
		byID:   make(map[string]*callState),
	}, nil
}

// Metrics returns the hub's counters.
func (h *Hub) Metrics() *Metrics { return &h.metrics }

// Subscribe follows the call callID from opts.FromSeq on. A call another
// node holds is followed from the Config.EventLog, if there is one. It
// fails with ErrUnknownCall for a call the hub does not know (or no longer
// keeps), and with ErrTooManySubscribers past Config.MaxSubscribers. ctx
// bounds following a call from the EventLog.
func (h *Hub) Subscribe(ctx context.Context, callID string, opts SubscribeOptions) (*Subscription, error) {
	c, err := h.lookup(callID)
	if errors.Is(err, ErrUnknownCall) && h.cfg.EventLog != nil {
		ctx, cancel := context.WithTimeout(ctx, h.cfg.SinkTimeout)
		c, err = h.follow(ctx, callID)
		cancel()
	}
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	full := len(c.subs) >= h.cfg.MaxSubscribers
	c.mu.Unlock()
	if full {
		h.cfg.Refusals.Refused(bridge.RefusedLimitSubscribers)
		return nil, fmt.Errorf("%w: call %s", ErrTooManySubscribers, callID)
	}
	return c.subscribe(opts), nil
}

// Transcript returns the finals of a call so far, both tracks in time
// order.
func (h *Hub) Transcript(callID string) ([]event.Utterance, error) {
	c, err := h.lookup(callID)
	if err != nil {
		return nil, err
	}
	c.emitMu.Lock()
	defer c.emitMu.Unlock()
	return c.rec.transcript(), nil
}

func (h *Hub) lookup(callID string) (*callState, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, ErrHubClosed
	}
	c, ok := h.byID[callID]
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknownCall, callID)
	}
	return c, nil
}

// subscribe registers a subscription whose replay is every kept event from
// opts.FromSeq on and whose queue takes every later event.
func (c *callState) subscribe(opts SubscribeOptions) *Subscription {
	s := &Subscription{
		call:     c,
		partials: opts.Partials,
		limit:    c.hub.cfg.SubscriberQueue,
		notify:   make(chan struct{}, 1),
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	s.replay = c.history.since(opts.FromSeq)
	s.from = max(opts.FromSeq, c.published+1)
	if c.ended {
		// call.ended is the last event kept; nothing will follow it.
		s.endErr = io.EOF
		return s
	}
	c.subs[s] = struct{}{}
	return s
}

// Run keeps the hub's leases in the Registry, if there is one, ends
// orphaned calls and feeds the followers of other nodes' calls from the
// EventLog, until ctx ends; then it closes the hub.
func (h *Hub) Run(ctx context.Context) error {
	if h.cfg.EventLog != nil {
		done := make(chan struct{})
		go func() {
			defer close(done)
			h.followLoop(ctx)
		}()
		defer func() { <-done }()
	}
	if h.cfg.Registry != nil {
		if _, err := h.RecoverOrphans(ctx); err != nil {
			h.log.Error("registry: looking for orphaned calls", "err", err)
		}
		h.keepLeases(ctx)
	}
	select {
	case <-ctx.Done():
	case <-h.ctx.Done():
	}
	return h.Close() //nolint:contextcheck // call.ended reaches the sinks on the hub's own context, after ctx ended
}

// LiveCalls returns the number of calls with a stream open now (calls
// waiting for a reconnect do not count).
func (h *Hub) LiveCalls() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, c := range h.byKey {
		c.mu.Lock()
		if len(c.live) > 0 {
			n++
		}
		c.mu.Unlock()
	}
	return n
}
