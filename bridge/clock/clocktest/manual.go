// Package clocktest provides a clock.Clock for tests whose time moves only
// when the test says so.
package clocktest

import (
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/callscribe/callscribe/bridge/clock"
)

// Manual is a clock.Clock whose time moves only by Advance and Set, which
// run due callbacks synchronously, in due order. It is safe for concurrent
// use.
type Manual struct {
	mu     sync.Mutex
	now    time.Time
	timers []*timer
}

type timer struct {
	clock *Manual
	at    time.Time
	f     func()
	done  bool
}

// Epoch is where a NewManual clock starts: a fixed time, so that test
// output does not depend on the day it runs.
var Epoch = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// NewManual returns a Manual clock at Epoch.
func NewManual() *Manual { return &Manual{now: Epoch} }

// Now returns the clock's time.
func (c *Manual) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// AfterFunc arms f to run when Advance or Set passes now+d.
func (c *Manual) AfterFunc(d time.Duration, f func()) clock.Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &timer{clock: c, at: c.now.Add(d), f: f}
	c.timers = append(c.timers, t)
	return t
}

// Stop disarms the timer.
func (t *timer) Stop() bool {
	t.clock.mu.Lock()
	defer t.clock.mu.Unlock()
	if t.done {
		return false
	}
	t.done = true
	return true
}

// Advance moves time by d, firing every timer due by then, including timers
// armed by the callbacks it runs.
func (c *Manual) Advance(d time.Duration) { c.Set(c.Now().Add(d)) }

// Set moves time to t (never backwards), firing what is due by then.
func (c *Manual) Set(t time.Time) {
	c.mu.Lock()
	if t.After(c.now) {
		c.now = t
	}
	c.mu.Unlock()
	for {
		c.mu.Lock()
		c.timers = slices.DeleteFunc(c.timers, func(t *timer) bool { return t.done })
		sort.SliceStable(c.timers, func(i, j int) bool { return c.timers[i].at.Before(c.timers[j].at) })
		if len(c.timers) == 0 || c.timers[0].at.After(c.now) {
			c.mu.Unlock()
			return
		}
		t := c.timers[0]
		t.done = true
		c.mu.Unlock()
		t.f()
	}
}

// Pending returns the number of timers armed and not yet fired or stopped.
func (c *Manual) Pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, t := range c.timers {
		if !t.done {
			n++
		}
	}
	return n
}
