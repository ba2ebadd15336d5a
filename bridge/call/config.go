package call

import (
	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/clock"
	"github.com/callscribe/callscribe/bridge/config"

	"log/slog"
	"net/http"
	"time"
)

// Config configures a Hub. Zero fields take the defaults listed with them;
// see WithDefaults.
type Config struct {
	// Grace is how long a call whose last stream ended waits for a
	// reconnect before it ends. Default 10s.
	Grace time.Duration
	// Retention is how long an ended call stays readable (subscriptions,
	// transcript, listing) before the hub forgets it. Default 5m.
	Retention time.Duration
	// MaxHistory bounds the events kept per call for replay; the oldest go
	// first. Partial transcripts are never kept. Default 10000.
	MaxHistory int
	// SubscriberQueue bounds the live events waiting for one subscriber.
	// Default 256.
	SubscriberQueue int
	// MaxSubscribers bounds the subscriptions of one call (its streams'
	// own back-channels included): each holds a queue and a connection.
	// Default 64.
	MaxSubscribers int
	// SinkTimeout bounds one Sink.Publish call. Default 10s.
	SinkTimeout time.Duration

	// PingInterval is how often the WebSocket handler pings its client, so
	// that idle proxies keep the connection. Default 25s.
	PingInterval time.Duration
	// PongWait is how long the WebSocket handler waits for any frame from
	// the client (pongs included) before it gives the client up. It must
	// exceed PingInterval. Default 60s.
	PongWait time.Duration
	// Heartbeat is how often the Server-Sent Events handler writes a
	// comment line to keep the connection alive. Default 15s.
	Heartbeat time.Duration
	// WriteTimeout bounds one write to a subscriber's connection.
	// Default 10s.
	WriteTimeout time.Duration
	// CheckOrigin decides which browser origins may open the events
	// WebSocket. Nil allows only requests whose Origin matches their Host.
	CheckOrigin func(r *http.Request) bool

	// Sinks receive every event of every call, in seq order per call,
	// before subscribers do. The webhook outbox is one.
	Sinks []Sink
	// Registry, when set, records the calls the hub holds so that a call
	// whose process died gets its call.ended (see Registry). Node names
	// this process in it (required with a Registry); Lease is how long a
	// call stays held without a renewal, default 30s: a dead process's
	// calls end that long after it died, or at once when it starts again
	// under the same Node.
	Registry Registry
	Node     string
	Lease    time.Duration
	// EventLog, when set, lets a subscriber here follow a call another
	// node holds (see EventLog); the service adds the log as a Sink too.
	EventLog EventLog
	// RenewInterval is how often the hub renews its leases and records
	// each call's seq and media time: a stream that reconnects to another
	// node continues from the media time last recorded. Default 2s; less
	// than half the Lease.
	RenewInterval time.Duration
	// Clock is the source of time. Default clock.System().
	// Refusals counts what is turned away, by reason, for the metrics.
	// Default: nothing is counted.
	Refusals bridge.Refusals
	Clock    clock.Clock
	// Logger receives the hub's logs, with call_id attached. Default
	// slog.Default().
	Logger *slog.Logger
}

// WithDefaults returns c with every zero field set to its default.
func (c Config) WithDefaults() Config {
	config.Default(&c.Grace, 10*time.Second)
	config.Default(&c.Retention, 5*time.Minute)
	config.Default(&c.SinkTimeout, 10*time.Second)
	config.Default(&c.PingInterval, 25*time.Second)
	config.Default(&c.PongWait, 60*time.Second)
	config.Default(&c.Heartbeat, 15*time.Second)
	config.Default(&c.WriteTimeout, 10*time.Second)
	config.Default(&c.Lease, 30*time.Second)
	config.Default(&c.RenewInterval, min(2*time.Second, c.Lease/3))
	config.Default(&c.MaxHistory, 10000)
	config.Default(&c.SubscriberQueue, 256)
	config.Default(&c.MaxSubscribers, 64)
	c.Clock = clock.Or(c.Clock)
	c.Logger = config.Logger(c.Logger)
	if c.Refusals == nil {
		c.Refusals = bridge.NoRefusals{}
	}
	return c
}

// Validate reports every problem of c after defaults are applied, wrapped in
// ErrBadConfig.
func (c Config) Validate() error {
	c = c.WithDefaults()
	var p config.Problems
	p.Positive("Grace", c.Grace)
	p.Positive("Retention", c.Retention)
	p.Positive("SinkTimeout", c.SinkTimeout)
	p.Positive("PingInterval", c.PingInterval)
	p.Positive("PongWait", c.PongWait)
	p.Positive("Heartbeat", c.Heartbeat)
	p.Positive("WriteTimeout", c.WriteTimeout)
	p.Positive("Lease", c.Lease)
	if c.PongWait <= c.PingInterval {
		p.Addf("PongWait (%s) must exceed PingInterval (%s)", c.PongWait, c.PingInterval)
	}
	if c.MaxHistory <= 0 || c.SubscriberQueue <= 0 || c.MaxSubscribers <= 0 {
		p.Addf("MaxHistory, SubscriberQueue and MaxSubscribers must be positive")
	}
	if 2*c.RenewInterval >= c.Lease {
		p.Addf("RenewInterval (%s) must be under half the Lease (%s)", c.RenewInterval, c.Lease)
	}
	if c.Registry != nil && c.Node == "" {
		p.Addf("a Registry needs a Node name")
	}
	for i, s := range c.Sinks {
		if s == nil {
			p.Addf("Sinks[%d] is nil", i)
		}
	}
	return p.Err(ErrBadConfig)
}
