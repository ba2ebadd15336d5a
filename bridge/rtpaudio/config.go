package rtpaudio

import (
	"github.com/callscribe/callscribe/bridge/config"
	"github.com/callscribe/callscribe/bridge/jitter"
	"github.com/callscribe/callscribe/bridge/timeline"
)

// Config describes one track's path.
type Config struct {
	// ClockRate is the codec's RTP clock rate, which is also the rate the
	// Decoder produces: 48000 for Opus, 8000 for G.711. Required.
	ClockRate int
	// Duration reads a payload's length in clock ticks (OpusDuration,
	// G711Duration); nil leaves the jitter buffer to assume.
	Duration func(payload []byte) int
	// Jitter tunes the jitter buffer; its ClockRate is set from ClockRate.
	Jitter jitter.Config
	// RateGuard bounds how far media may run ahead of wall time.
	RateGuard timeline.RateGuardConfig
}

// Validate reports every problem of c, wrapped in ErrBadConfig.
func (c Config) Validate() error {
	var p config.Problems
	if c.ClockRate < 8000 || c.ClockRate > 192000 {
		p.Addf("ClockRate must be 8 to 192 kHz, is %d", c.ClockRate)
	}
	c.Jitter.ClockRate = max(c.ClockRate, 1)
	p.Add(c.Jitter.Validate())
	if c.RateGuard.Burst < 0 || c.RateGuard.Speed < 0 {
		p.Addf("RateGuard's Burst and Speed must not be negative")
	}
	return p.Err(ErrBadConfig)
}
