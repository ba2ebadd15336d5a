package auth

import (
	"fmt"
	"net/http"
	"sync"

	"github.com/callscribe/callscribe/bridge"
)

// CallSlots bounds the calls each key holds at once, so that one leaked
// or abused key cannot take every decoder of the service. It is safe for
// concurrent use.
type CallSlots struct {
	max      int
	refusals bridge.Refusals
	mu       sync.Mutex
	used     map[string]int
}

// NewCallSlots returns slots for max calls per key; 0 or less means no
// limit. refusals (nil: none) counts the calls refused.
func NewCallSlots(max int, refusals bridge.Refusals) *CallSlots {
	if refusals == nil {
		refusals = bridge.NoRefusals{}
	}
	return &CallSlots{max: max, refusals: refusals, used: make(map[string]int)}
}

// Acquire takes a slot for a call of p's key and returns the func that
// gives it back, which may be called more than once. Principals without a
// key (Twilio's signature, insecure mode) are not limited. A key at its
// limit gets an error wrapping ErrTooManyCalls.
func (c *CallSlots) Acquire(p Principal) (release func(), err error) {
	if c.max <= 0 || p.KeyID == "" {
		return func() {}, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.used[p.KeyID] >= c.max {
		c.refusals.Refused(bridge.RefusedLimitCallsPerKey)
		return nil, fmt.Errorf("%w: key %s holds %d calls", ErrTooManyCalls, p.KeyID, c.max)
	}
	c.used[p.KeyID]++
	var once sync.Once
	return func() {
		once.Do(func() {
			c.mu.Lock()
			defer c.mu.Unlock()
			if c.used[p.KeyID]--; c.used[p.KeyID] <= 0 {
				delete(c.used, p.KeyID)
			}
		})
	}, nil
}

// InUse returns the calls the key holds now.
func (c *CallSlots) InUse(keyID string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.used[keyID]
}

// Limit wraps a handler whose request is a call (a WebSocket stream lives
// as long as its handler runs): the request's Principal (see Require) must
// get a slot, or the request is refused with 429 before its upgrade.
func (c *CallSlots) Limit(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, _ := FromContext(r.Context())
		release, err := c.Acquire(p)
		if err != nil {
			writeJSON(w, http.StatusTooManyRequests, apiError{Error: fmt.Sprintf("too many concurrent calls for this key (at most %d)", c.max)})
			return
		}
		defer release()
		next.ServeHTTP(w, r)
	})
}
