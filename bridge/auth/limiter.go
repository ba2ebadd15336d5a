package auth

import (
	"container/list"
	"time"
)

// failureLimiter slows an address that presents bad credentials: after
// max failures within window it is refused for backoff, whatever it sends.
// It is pure policy: the caller passes the time and holds the lock.
//
// Memory is bounded: at most cap addresses are tracked, and when a new one
// arrives with the table full, the address whose last failure is the
// oldest is forgotten. An attacker with many addresses can push a blocked
// one out that way, but with that many addresses it could spread its
// guesses anyway; the bound is what keeps a flood from exhausting memory.
type failureLimiter struct {
	max     int
	window  time.Duration
	backoff time.Duration
	cap     int

	byAddr map[string]*list.Element // of *failures
	lru    *list.List               // front: most recent failure
}

// failures is one address's record.
type failures struct {
	addr         string
	windowStart  time.Time
	count        int
	blockedUntil time.Time
}

func newFailureLimiter(max int, window, backoff time.Duration, cap int) *failureLimiter {
	return &failureLimiter{max: max, window: window, backoff: backoff, cap: cap,
		byAddr: map[string]*list.Element{}, lru: list.New()}
}

// blocked returns how long addr is still refused at now; 0 if it is not.
func (l *failureLimiter) blocked(addr string, now time.Time) time.Duration {
	e, ok := l.byAddr[addr]
	if !ok {
		return 0
	}
	f := e.Value.(*failures)
	if d := f.blockedUntil.Sub(now); d > 0 {
		return d
	}
	return 0
}

// fail records a bad credential from addr at now. It reports whether this
// failure blocked the address (so the caller logs it once).
func (l *failureLimiter) fail(addr string, now time.Time) bool {
	e, ok := l.byAddr[addr]
	if !ok {
		if l.lru.Len() >= l.cap {
			oldest := l.lru.Back()
			l.lru.Remove(oldest)
			delete(l.byAddr, oldest.Value.(*failures).addr)
		}
		e = l.lru.PushFront(&failures{addr: addr, windowStart: now})
		l.byAddr[addr] = e
	}
	l.lru.MoveToFront(e)
	f := e.Value.(*failures)
	if now.Sub(f.windowStart) >= l.window {
		f.windowStart, f.count = now, 0
	}
	f.count++
	if f.count < l.max {
		return false
	}
	// Blocked: the count starts again when the back-off ends.
	f.blockedUntil = now.Add(l.backoff)
	f.windowStart, f.count = f.blockedUntil, 0
	return true
}

// tracked returns the number of addresses held.
func (l *failureLimiter) tracked() int { return l.lru.Len() }
