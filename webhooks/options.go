package webhooks

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"
)

// Clock tells the time. Every policy that depends on time (retry schedule,
// circuit breakers, leases, retention, signature timestamps) reads it from
// the Dispatcher's Clock.
type Clock interface {
	Now() time.Time
}

// ClockFunc adapts a function to Clock.
type ClockFunc func() time.Time

// Now returns f().
func (f ClockFunc) Now() time.Time { return f() }

// Option configures a Dispatcher beyond Config: what tests and embedding
// programs inject.
type Option func(*Dispatcher) error

// WithClock sets the clock. Default: time.Now.
func WithClock(c Clock) Option {
	return func(d *Dispatcher) error {
		if c == nil {
			return fmt.Errorf("%w: nil clock", ErrInvalidConfig)
		}
		d.clock = c
		return nil
	}
}

// WithLogger sets the logger. Default: slog.Default().
func WithLogger(l *slog.Logger) Option {
	return func(d *Dispatcher) error {
		if l == nil {
			return fmt.Errorf("%w: nil logger", ErrInvalidConfig)
		}
		d.log = l
		return nil
	}
}

// WithHTTPClient sets the client that delivers webhooks, for its transport
// (proxy, TLS roots). The Dispatcher uses a copy that never follows
// redirects; timeouts come from Config.RequestTimeout.
func WithHTTPClient(c *http.Client) Option {
	return func(d *Dispatcher) error {
		if c == nil {
			return fmt.Errorf("%w: nil http client", ErrInvalidConfig)
		}
		d.client = c
		return nil
	}
}

// WithSchedule replaces the retry schedule, which otherwise is
// DefaultSchedule(Config.RetryFor).
func WithSchedule(s Schedule) Option {
	return func(d *Dispatcher) error {
		if err := s.Validate(); err != nil {
			return err
		}
		d.sched = s
		return nil
	}
}

// WithRandom sets the source of jitter: a function returning values in
// [0, 1). Default: math/rand/v2.Float64.
func WithRandom(f func() float64) Option {
	return func(d *Dispatcher) error {
		if f == nil {
			return errors.New("webhooks: nil random source")
		}
		d.rand = f
		return nil
	}
}
