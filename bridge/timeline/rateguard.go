package timeline

import (
	"fmt"
	"time"
)

// Defaults applied to a zero field of RateGuardConfig.
const (
	// DefaultRateBurst lets a stream start with a few seconds of buffered
	// media, as a platform does after a network stall.
	DefaultRateBurst = 5 * time.Second
	// DefaultRateSpeed lets media advance up to twice as fast as wall time
	// on average, which a live call catching up never needs.
	DefaultRateSpeed = 2.0
)

// RateGuardConfig sets how far media may run ahead of wall time.
type RateGuardConfig struct {
	// Burst is media allowed beyond Speed times the wall time elapsed.
	// Zero means DefaultRateBurst.
	Burst time.Duration
	// Speed is how many times faster than wall time media may advance.
	// Zero means DefaultRateSpeed.
	Speed float64
}

// RateGuard tells a live stream from a flood. A live call produces media no
// faster than real time, so media positions may only run ahead of the time
// elapsed since the first frame by buffering, which is bounded; a replay or
// a hostile client sending as fast as it can is not. The guard is pure: the
// caller passes the arrival time in. It is not safe for concurrent use.
type RateGuard struct {
	burst        time.Duration
	speed        float64
	started      bool
	firstArrival time.Time
	firstMedia   time.Duration
	maxLead      time.Duration
}

// NewRateGuard returns a guard with cfg's limits.
func NewRateGuard(cfg RateGuardConfig) *RateGuard {
	if cfg.Burst <= 0 {
		cfg.Burst = DefaultRateBurst
	}
	if !(cfg.Speed > 0) { // also catches NaN
		cfg.Speed = DefaultRateSpeed
	}
	return &RateGuard{burst: cfg.Burst, speed: cfg.Speed}
}

// Observe records that media up to position (call time, such as the end of
// the frame just received) had arrived at arrival. It returns an error
// wrapping ErrFasterThanRealTime once media since the first observation
// exceeds Burst plus Speed times the wall time since then. The first
// observation sets both origins and always passes.
func (g *RateGuard) Observe(arrival time.Time, position time.Duration) error {
	if !g.started {
		g.started, g.firstArrival, g.firstMedia = true, arrival, position
		return nil
	}
	elapsed := max(arrival.Sub(g.firstArrival), 0)
	media := position - g.firstMedia
	g.maxLead = max(g.maxLead, media-elapsed)
	allowed := g.burst + time.Duration(g.speed*float64(elapsed))
	if media > allowed {
		return fmt.Errorf("%w: %v of media in %v of wall time, %v allowed",
			ErrFasterThanRealTime, media, elapsed, allowed)
	}
	return nil
}

// MaxLead returns the furthest media has run ahead of wall time so far.
func (g *RateGuard) MaxLead() time.Duration { return g.maxLead }
