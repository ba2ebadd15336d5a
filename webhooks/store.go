package webhooks

import (
	"context"
	"time"

	"github.com/callscribe/callscribe/bridge/event"
)

// Store is the durable state of webhook delivery. Implementations must be
// safe for concurrent use; every time they record comes from the caller,
// never from their own clock.
type Store interface {
	EndpointStore
	Outbox
	TranscriptStore
	// Close releases the store's resources.
	Close() error
}

// EndpointStore keeps webhook endpoints.
type EndpointStore interface {
	// PutEndpoint inserts e, or replaces the endpoint with the same ID.
	PutEndpoint(ctx context.Context, e Endpoint) error
	// Endpoints lists every endpoint, ordered by ID.
	Endpoints(ctx context.Context) ([]Endpoint, error)
	// DeleteEndpoint removes an endpoint with its deliveries and attempts;
	// ErrNotFound if there is none.
	DeleteEndpoint(ctx context.Context, id string) error
	// SetEndpointDisabled disables (with a reason) or re-enables an
	// endpoint; ErrNotFound if there is none.
	SetEndpointDisabled(ctx context.Context, id string, disabled bool, reason string) error
}

// Outbox keeps messages waiting for delivery and the record of attempts.
type Outbox interface {
	// Enqueue stores, in one transaction, the entry's message with one
	// pending delivery per listed endpoint that still exists, and its
	// transcript utterances. It returns the number of deliveries created:
	// none for a message whose ID is already stored.
	Enqueue(ctx context.Context, e Entry) (int, error)
	// Claim leases up to r.Limit due deliveries of one enabled endpoint to
	// r.Owner. A delivery is due when it is pending, its NextAt has come, it
	// has no live lease and no earlier delivery of the same call to the same
	// endpoint is pending. Claims by concurrent callers never overlap.
	Claim(ctx context.Context, r ClaimRequest) ([]Delivery, error)
	// Complete records the outcome of an attempt and releases the lease;
	// ErrLeaseLost if c.Owner no longer holds it.
	Complete(ctx context.Context, c Completion) error
	// Requeue makes matching deliveries that are not in flight pending and
	// due at r.Now, with a fresh retry schedule. It returns how many.
	Requeue(ctx context.Context, r RequeueRequest) (int, error)
	// Deliveries lists deliveries matching q, ordered by ID.
	Deliveries(ctx context.Context, q DeliveryQuery) ([]Delivery, error)
	// Attempts lists the attempts of one delivery in order.
	Attempts(ctx context.Context, deliveryID int64) ([]Attempt, error)
	// Pending counts the pending deliveries, due or not, of every
	// endpoint: the outbox's backlog.
	Pending(ctx context.Context) (int, error)
	// Prune deletes old delivered and dead deliveries, messages left without
	// deliveries, and old transcripts.
	Prune(ctx context.Context, r PruneRequest) (PruneResult, error)
}

// TranscriptStore reads stored call transcripts. They are written by
// Outbox.Enqueue.
type TranscriptStore interface {
	// Transcript returns the stored utterances of a call in time order;
	// ErrNotFound if none are stored.
	Transcript(ctx context.Context, callID string) (Transcript, error)
}

// Status is the state of a delivery.
type Status string

// Delivery states.
const (
	// StatusPending deliveries wait for their next attempt (or are in one).
	StatusPending Status = "pending"
	// StatusDelivered deliveries were answered with 2xx.
	StatusDelivered Status = "delivered"
	// StatusDead deliveries failed their last scheduled attempt.
	StatusDead Status = "dead"
)

// Valid reports whether s is one of the defined states.
func (s Status) Valid() bool {
	return s == StatusPending || s == StatusDelivered || s == StatusDead
}

// Message is one produced event as it is sent: the payload is the event's
// JSON and the ID is the webhook-id of every attempt and replay.
type Message struct {
	ID        string
	CallID    string
	Seq       uint64
	Type      string
	Payload   []byte
	CreatedAt time.Time
}

// Entry is what Enqueue stores for one event.
type Entry struct {
	Message Message
	// EndpointIDs are the endpoints subscribed to the message.
	EndpointIDs []string
	// Utterances are final utterances to keep in the call's transcript.
	Utterances []event.Utterance
	// CallEnded marks the call's transcript complete at Message.CreatedAt.
	CallEnded bool
}

// Transcript is the stored transcript of a call.
type Transcript struct {
	CallID     string            `json:"call_id"`
	Ended      bool              `json:"ended"`
	EndedAt    time.Time         `json:"ended_at,omitzero"`
	UpdatedAt  time.Time         `json:"updated_at"`
	Utterances []event.Utterance `json:"utterances"`
}
