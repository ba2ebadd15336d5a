package webhooks

import "time"

// Delivery is one message on its way to one endpoint.
type Delivery struct {
	ID         int64  `json:"id"`
	MessageID  string `json:"message_id"`
	EndpointID string `json:"endpoint_id"`
	CallID     string `json:"call_id"`
	Seq        uint64 `json:"seq"`
	Type       string `json:"type"`
	Status     Status `json:"status"`
	// Attempts counts every attempt, replays included.
	Attempts int `json:"attempts"`
	// Tries counts the failed attempts since BaseAt; it indexes the retry
	// schedule.
	Tries int `json:"tries"`
	// BaseAt is when the current retry schedule started: creation, or the
	// last replay.
	BaseAt         time.Time `json:"base_at"`
	NextAt         time.Time `json:"next_at"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
	LastStatusCode int       `json:"last_status_code,omitempty"`
	LastError      string    `json:"last_error,omitempty"`
	// Payload is set by Claim only.
	Payload []byte `json:"-"`
}

// Attempt is the record of one HTTP request.
type Attempt struct {
	DeliveryID int64     `json:"delivery_id"`
	N          int       `json:"n"`
	StartedAt  time.Time `json:"started_at"`
	DurationMS int64     `json:"duration_ms"`
	// StatusCode is the HTTP status, 0 when no response arrived.
	StatusCode int    `json:"status_code"`
	Error      string `json:"error,omitempty"`
	// Response is the start of the response body.
	Response string `json:"response,omitempty"`
}

// ClaimRequest asks Outbox.Claim for due deliveries of one endpoint.
type ClaimRequest struct {
	EndpointID string
	Owner      string
	Now        time.Time
	// Lease is how long the claim holds before other workers may take the
	// delivery over.
	Lease time.Duration
	Limit int
}

// Completion is the outcome of one attempt, for Outbox.Complete.
type Completion struct {
	DeliveryID int64
	Owner      string
	Now        time.Time
	// Attempt is the attempt to record. When nil the lease is only released:
	// the attempt was abandoned (shutdown) and does not count.
	Attempt *Attempt
	// Status is the new state; NextAt is the next attempt if pending.
	Status Status
	NextAt time.Time
}

// RequeueRequest selects deliveries for Outbox.Requeue: by ID, or by call
// (optionally one endpoint), in the listed states (all when empty).
type RequeueRequest struct {
	DeliveryID int64
	CallID     string
	EndpointID string
	Statuses   []Status
	Now        time.Time
}

// DeliveryQuery filters Outbox.Deliveries. Zero fields match everything.
type DeliveryQuery struct {
	ID         int64
	CallID     string
	EndpointID string
	Status     Status
	// AfterID pages: only deliveries with a greater ID.
	AfterID int64
	// Limit bounds the result; zero means 100.
	Limit int
}

// PruneRequest gives Outbox.Prune its cut-offs; a zero time skips that kind.
type PruneRequest struct {
	DeliveredBefore   time.Time
	DeadBefore        time.Time
	TranscriptsBefore time.Time
	// EventsBefore bounds the event log several nodes follow calls
	// through, and ended calls' rows in the registry of open calls.
	EventsBefore time.Time
}

// PruneResult counts what Prune deleted.
type PruneResult struct {
	Deliveries  int64
	Messages    int64
	Transcripts int64
}
