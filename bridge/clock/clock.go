// Package clock is the one source of time that callscribe's packages take:
// the call hub's grace and retention timers, the webhook dispatcher's retry
// schedule and leases, the pipeline's arrival times and the transports'
// pacing checks all read a Clock, so tests move time by hand
// (clocktest.Manual) instead of sleeping.
package clock

import "time"

// Clock tells the time and runs functions later.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// AfterFunc calls f in its own goroutine once d has passed, unless the
	// returned Timer is stopped first.
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer is a pending AfterFunc call.
type Timer interface {
	// Stop prevents the call if it has not started, and reports whether it
	// did so.
	Stop() bool
}

// System returns the Clock of package time.
func System() Clock { return system{} }

type system struct{}

func (system) Now() time.Time { return time.Now() }

func (system) AfterFunc(d time.Duration, f func()) Timer { return time.AfterFunc(d, f) }

// Or returns c, or System when c is nil: what a Config's WithDefaults uses.
func Or(c Clock) Clock {
	if c == nil {
		return System()
	}
	return c
}
