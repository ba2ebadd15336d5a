package webhooks

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"

	"github.com/callscribe/callscribe/bridge/clock"
	"github.com/callscribe/callscribe/bridge/event"
)

// Dispatcher accepts events into the outbox and delivers them.
type Dispatcher struct {
	cfg    Config
	store  Store
	sched  Schedule
	clock  clock.Clock
	log    *slog.Logger
	client *http.Client
	rand   func() float64
	// owner prefixes this dispatcher's lease tokens; claims numbers them.
	owner   string
	claims  atomic.Uint64
	metrics Metrics
	running atomic.Bool
	// wake asks Run for an immediate scan. Its buffer of one coalesces
	// requests: when full, a scan is already due and the send is dropped.
	wake chan struct{}

	mu       sync.Mutex
	breakers map[string]*Breaker
	inflight map[string]int
}

// New returns a Dispatcher over store, configured by cfg after Validate
// and WithDefaults. It writes cfg.Endpoints to the store: static endpoints
// are enabled again (a 410 disabled them only until the next start), and
// static endpoints no longer configured are deleted.
func New(ctx context.Context, store Store, cfg Config) (*Dispatcher, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.WithDefaults()
	client := *cfg.HTTPClient
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	d := &Dispatcher{
		cfg:      cfg,
		store:    store,
		sched:    cfg.Schedule,
		clock:    cfg.Clock,
		log:      cfg.Logger,
		client:   &client,
		rand:     cfg.Random,
		owner:    newID("node_"),
		wake:     make(chan struct{}, 1),
		breakers: map[string]*Breaker{},
		inflight: map[string]int{},
	}
	if err := d.syncStatic(ctx); err != nil {
		return nil, err
	}
	return d, nil
}

// Metrics returns the dispatcher's counters.
func (d *Dispatcher) Metrics() *Metrics { return &d.metrics }

// Enqueue stores ev for delivery to every enabled endpoint subscribed to its
// webhook type, and keeps final utterances for the call's transcript. The
// event is produced once Enqueue returns nil; on error nothing was stored
// and the caller should retry or report the loss. It does not wait for
// delivery.
func (d *Dispatcher) Enqueue(ctx context.Context, ev *event.Event) error {
	if ev == nil || ev.CallID == "" {
		return fmt.Errorf("%w: no call id", ErrInvalidEvent)
	}
	typ := ev.WebhookType()
	entry := Entry{Message: Message{CallID: ev.CallID, Seq: ev.Seq, Type: typ}}
	switch typ {
	case event.WebhookTranscriptFinal:
		entry.Utterances = []event.Utterance{event.UtteranceOf(ev)}
	case event.WebhookCallEnded:
		entry.Utterances, entry.CallEnded = ev.Transcript, true
	}
	eps, err := d.store.Endpoints(ctx)
	if err != nil {
		d.metrics.EnqueueErrors.Add(1)
		return fmt.Errorf("webhooks: enqueue %s of call %s: %w", typ, ev.CallID, err)
	}
	for i := range eps {
		if !eps[i].Disabled && eps[i].Subscribes(typ) {
			entry.EndpointIDs = append(entry.EndpointIDs, eps[i].ID)
		}
	}
	if len(entry.EndpointIDs) > 0 || len(entry.Utterances) > 0 || entry.CallEnded {
		if entry.Message.Payload, err = json.Marshal(ev); err != nil {
			d.metrics.EnqueueErrors.Add(1)
			return fmt.Errorf("%w: %w", ErrInvalidEvent, err)
		}
		entry.Message.ID, entry.Message.CreatedAt = messageID(ev), d.clock.Now()
		if _, err := d.store.Enqueue(ctx, entry); err != nil {
			d.metrics.EnqueueErrors.Add(1)
			return fmt.Errorf("webhooks: enqueue %s of call %s: %w", typ, ev.CallID, err)
		}
	}
	d.metrics.Produced.Add(1)
	if len(entry.EndpointIDs) > 0 {
		d.poke()
	}
	return nil
}

// messageID is the webhook-id of a new message: random, but the same for
// every call.ended of one call, so that a call ended twice (by its own
// node and by one that took it for orphaned) is delivered once.
func messageID(ev *event.Event) string {
	if ev.Type == event.CallEnded {
		return "msg_ended_" + ev.CallID
	}
	return newID("msg_")
}

// poke asks Run for a scan without blocking.
func (d *Dispatcher) poke() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// syncStatic writes the configured endpoints to the store.
func (d *Dispatcher) syncStatic(ctx context.Context) error {
	existing, err := d.store.Endpoints(ctx)
	if err != nil {
		return fmt.Errorf("webhooks: reading endpoints: %w", err)
	}
	have := map[string]Endpoint{}
	for _, e := range existing {
		have[e.ID] = e
	}
	want := map[string]bool{}
	for _, ec := range d.cfg.Endpoints {
		e := ec.endpoint()
		old, ok := have[e.ID]
		if ok && !old.Static {
			return fmt.Errorf("%w: static endpoint %q: id taken by an endpoint created through the API", ErrBadConfig, e.ID)
		}
		e.CreatedAt = d.clock.Now()
		if ok {
			e.CreatedAt = old.CreatedAt
		}
		if err := d.store.PutEndpoint(ctx, e); err != nil {
			return fmt.Errorf("webhooks: storing static endpoint %q: %w", e.ID, err)
		}
		want[e.ID] = true
	}
	for _, e := range existing {
		if e.Static && !want[e.ID] {
			if err := d.store.DeleteEndpoint(ctx, e.ID); err != nil {
				return fmt.Errorf("webhooks: removing static endpoint %q: %w", e.ID, err)
			}
			d.log.Info("webhooks: static endpoint removed", "endpoint", e.ID)
		}
	}
	return nil
}
