package webhooks

import (
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"time"

	"github.com/callscribe/callscribe/bridge/clock"
	"github.com/callscribe/callscribe/bridge/config"
)

// Config is the webhook configuration the service fills from flags,
// environment or a file. Zero fields take the defaults listed with them; see
// WithDefaults.
type Config struct {
	// Endpoints are configured statically. They are written to the store by
	// New, replacing earlier static endpoints; the admin API cannot delete
	// them.
	Endpoints []EndpointConfig
	// SelfAddrs are the host:port addresses this service answers on (its
	// listen and public addresses). Endpoint URLs pointing at one of them
	// are rejected.
	SelfAddrs []string

	// RequestTimeout bounds one delivery attempt, response included.
	// Default 15s.
	RequestTimeout time.Duration
	// MaxResponseBytes is how much of a response body is read. Default
	// 64 KiB.
	MaxResponseBytes int64
	// RetryFor is how long after its first attempt a message is retried
	// before it becomes a dead letter. Default 24h.
	RetryFor time.Duration
	// Concurrency is the number of requests in flight to one endpoint.
	// Default 4.
	Concurrency int
	// PollInterval is how often the outbox is scanned for due deliveries
	// (Enqueue and finished attempts also trigger a scan). Default 1s.
	PollInterval time.Duration
	// Lease is how long a claimed delivery stays claimed; after that another
	// worker or node takes it over. It must exceed RequestTimeout. Default
	// RequestTimeout + 30s.
	Lease time.Duration

	// BreakerThreshold is the number of consecutive failures that opens an
	// endpoint's circuit breaker. Default 10.
	BreakerThreshold int
	// BreakerCooldown is how long an open breaker stays open before one
	// probe request is let through. Default 1m.
	BreakerCooldown time.Duration

	// DeliveredRetention is how long delivered rows are kept. Default 72h.
	DeliveredRetention time.Duration
	// DeadRetention is how long dead letters are kept. Default 30 days.
	DeadRetention time.Duration
	// TranscriptRetention is how long transcripts are kept after the call
	// ended (or after their last utterance, for calls that never ended).
	// Default 30 days.
	TranscriptRetention time.Duration
	// EventRetention is how long the event log keeps a call's events (for
	// nodes that follow calls other nodes hold). Default 24h.
	EventRetention time.Duration
	// PruneInterval is how often retention is enforced. Default 10m.
	PruneInterval time.Duration

	// Schedule decides when failed deliveries are retried. Default
	// DefaultSchedule(RetryFor).
	Schedule Schedule
	// HTTPClient delivers the webhooks, for its transport (proxy, TLS
	// roots). The Dispatcher uses a copy that never follows redirects;
	// timeouts come from RequestTimeout. Default http.DefaultClient.
	HTTPClient *http.Client
	// Random is the source of jitter: values in [0, 1). Default
	// math/rand/v2.Float64.
	Random func() float64
	// Clock times every policy that depends on time: the retry schedule,
	// circuit breakers, leases, retention, signature timestamps. Default
	// clock.System().
	Clock clock.Clock
	// Logger receives the dispatcher's logs. Default slog.Default().
	Logger *slog.Logger
}

// EndpointConfig is a statically configured endpoint.
type EndpointConfig struct {
	// ID names the endpoint in the admin API and logs.
	ID  string
	URL string
	// Secrets are "whsec_" + base64 secrets, current first. Required.
	Secrets []string
	// Events as in Endpoint.Events; empty means DefaultEvents.
	Events      []string
	Description string
}

// WithDefaults returns c with every zero field set to its default.
func (c Config) WithDefaults() Config {
	config.Default(&c.RequestTimeout, 15*time.Second)
	config.Default(&c.RetryFor, 24*time.Hour)
	config.Default(&c.PollInterval, time.Second)
	config.Default(&c.Lease, c.RequestTimeout+30*time.Second)
	config.Default(&c.BreakerCooldown, time.Minute)
	config.Default(&c.DeliveredRetention, 72*time.Hour)
	config.Default(&c.DeadRetention, 30*24*time.Hour)
	config.Default(&c.TranscriptRetention, 30*24*time.Hour)
	config.Default(&c.PruneInterval, 10*time.Minute)
	config.Default(&c.EventRetention, 24*time.Hour)
	config.Default(&c.MaxResponseBytes, 64<<10)
	config.Default(&c.Concurrency, 4)
	config.Default(&c.BreakerThreshold, 10)
	if c.Schedule.Steps == nil && c.Schedule.Repeat == 0 {
		c.Schedule = DefaultSchedule(c.RetryFor)
	}
	if c.HTTPClient == nil {
		c.HTTPClient = http.DefaultClient
	}
	if c.Random == nil {
		c.Random = rand.Float64
	}
	c.Clock = clock.Or(c.Clock)
	c.Logger = config.Logger(c.Logger)
	return c
}

// Validate reports every problem of c, once defaults are applied, as one
// error wrapping ErrBadConfig.
func (c Config) Validate() error {
	c = c.WithDefaults()
	var p config.Problems
	p.Positive("RequestTimeout", c.RequestTimeout)
	p.Positive("RetryFor", c.RetryFor)
	p.Positive("PollInterval", c.PollInterval)
	p.Positive("Lease", c.Lease)
	p.Positive("BreakerCooldown", c.BreakerCooldown)
	p.Positive("DeliveredRetention", c.DeliveredRetention)
	p.Positive("DeadRetention", c.DeadRetention)
	p.Positive("TranscriptRetention", c.TranscriptRetention)
	p.Positive("PruneInterval", c.PruneInterval)
	p.Positive("EventRetention", c.EventRetention)
	if c.Lease <= c.RequestTimeout {
		p.Addf("Lease (%s) must exceed RequestTimeout (%s)", c.Lease, c.RequestTimeout)
	}
	if c.MaxResponseBytes <= 0 || c.Concurrency <= 0 || c.BreakerThreshold <= 0 {
		p.Addf("MaxResponseBytes, Concurrency and BreakerThreshold must be positive")
	}
	for _, a := range c.SelfAddrs {
		if _, _, err := net.SplitHostPort(a); err != nil {
			p.Addf("SelfAddrs: %q is not host:port", a)
		}
	}
	if err := c.Schedule.Validate(); err != nil {
		p.Addf("Schedule: %w", err)
	}
	seen := map[string]bool{}
	for _, ec := range c.Endpoints {
		e := ec.endpoint()
		if err := e.validate(); err != nil {
			p.Addf("endpoint %q: %w", ec.ID, err)
		} else if u, _ := parseEndpointURL(e.URL); pointsAtSelf(u, c.SelfAddrs) {
			p.Addf("endpoint %q: %w", ec.ID, ErrSelfAddress)
		}
		if seen[ec.ID] {
			p.Addf("endpoint %q: duplicate id", ec.ID)
		}
		seen[ec.ID] = true
	}
	return p.Err(ErrBadConfig)
}

func (ec EndpointConfig) endpoint() Endpoint {
	return Endpoint{ID: ec.ID, URL: ec.URL, Secrets: ec.Secrets, Events: ec.Events, Description: ec.Description, Static: true}
}
