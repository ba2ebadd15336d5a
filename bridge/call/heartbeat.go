package call

import (
	"time"

	"github.com/callscribe/callscribe/bridge/clock"
)

// heartbeat wakes a stream handler every interval (from the hub's clock) so
// that it can ping its client; it is re-armed by the handler after each
// beat, which keeps exactly one timer per connection.
type heartbeat struct {
	clock clock.Clock
	every time.Duration
	C     chan struct{}
	timer clock.Timer
}

func startHeartbeat(c clock.Clock, every time.Duration) *heartbeat {
	b := &heartbeat{clock: c, every: every, C: make(chan struct{}, 1)}
	b.arm()
	return b
}

// arm schedules the next beat. The callback never blocks, so a beat that
// fires after stop only leaves a value in C.
func (b *heartbeat) arm() {
	b.timer = b.clock.AfterFunc(b.every, func() {
		select {
		case b.C <- struct{}{}:
		default:
		}
	})
}

func (b *heartbeat) stop() { b.timer.Stop() }
