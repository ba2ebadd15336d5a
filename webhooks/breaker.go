package webhooks

import "time"

// BreakerState is the state of a circuit breaker.
type BreakerState int

// Breaker states.
const (
	// BreakerClosed lets every request through.
	BreakerClosed BreakerState = iota
	// BreakerOpen lets no request through until the cool-down ends.
	BreakerOpen
	// BreakerHalfOpen lets one probe request through; its outcome closes or
	// reopens the breaker.
	BreakerHalfOpen
)

// String returns the state's name.
func (s BreakerState) String() string {
	return [...]string{"closed", "open", "half-open"}[s]
}

// Breaker is a consecutive-failure circuit breaker for one endpoint. It is
// pure: every method takes the current time. It is not safe for concurrent
// use.
type Breaker struct {
	threshold int
	cooldown  time.Duration
	failures  int
	open      bool
	openUntil time.Time
}

// NewBreaker returns a closed breaker that opens after threshold consecutive
// failures and stays open for cooldown.
func NewBreaker(threshold int, cooldown time.Duration) *Breaker {
	return &Breaker{threshold: threshold, cooldown: cooldown}
}

// State returns the breaker's state at now.
func (b *Breaker) State(now time.Time) BreakerState {
	switch {
	case !b.open:
		return BreakerClosed
	case now.Before(b.openUntil):
		return BreakerOpen
	default:
		return BreakerHalfOpen
	}
}

// Success records a successful request: the breaker closes.
func (b *Breaker) Success() {
	b.failures, b.open = 0, false
}

// Failure records a failed request at now and reports whether it opened the
// breaker: the threshold was reached, or a half-open probe failed. Failures
// of requests that were in flight while the breaker was open change nothing.
func (b *Breaker) Failure(now time.Time) (opened bool) {
	switch b.State(now) {
	case BreakerOpen:
		return false
	case BreakerHalfOpen:
		b.openUntil = now.Add(b.cooldown)
		return true
	}
	b.failures++
	if b.failures < b.threshold {
		return false
	}
	b.open, b.openUntil = true, now.Add(b.cooldown)
	return true
}
