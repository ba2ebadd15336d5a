package jitter

import (
	"time"

	"github.com/callscribe/callscribe/bridge/config"
)

// Defaults applied to a zero field of Config.
const (
	// DefaultLatency is how much audio waits behind a missing packet: five
	// 20 ms packets, which covers the reordering of a healthy network
	// without noticeable delay.
	DefaultLatency = 100 * time.Millisecond
	// DefaultMaxHeld bounds the packets waiting behind a gap, whatever
	// their length.
	DefaultMaxHeld = 50
	// DefaultMaxConceal is the longest loss concealed: one maximal Opus
	// packet. Concealment past it invents speech; silence is honest.
	DefaultMaxConceal = 120 * time.Millisecond
	// DefaultMaxGap is the longest jump of the timestamps filled with
	// silence; a longer one resets the buffer.
	DefaultMaxGap = 10 * time.Second
	// DefaultFrameDuration is assumed for a packet of unknown length.
	DefaultFrameDuration = 20 * time.Millisecond
	// DefaultMaxDropout is how far ahead a sequence number may jump and
	// still belong to the stream (RFC 3550, appendix A.1).
	DefaultMaxDropout = 3000
	// DefaultMaxMisorder is how far behind a sequence number may be and
	// still be a late packet rather than a restarted stream.
	DefaultMaxMisorder = 100
)

// Config describes a Buffer. A zero field takes its default.
type Config struct {
	// ClockRate is the RTP clock rate in Hz: 48000 for Opus, 8000 for
	// G.711. Required.
	ClockRate int
	// Latency is how much audio, by RTP time, may wait behind a missing
	// packet before the packet is declared lost. Default DefaultLatency.
	Latency time.Duration
	// MaxHeld bounds the packets waiting behind a gap. Default
	// DefaultMaxHeld.
	MaxHeld int
	// MaxConceal is the longest span released as Lost; the rest of a
	// longer gap is Silence. Default DefaultMaxConceal.
	MaxConceal time.Duration
	// MaxGap is the longest gap filled; a longer jump resets the buffer.
	// Default DefaultMaxGap.
	MaxGap time.Duration
	// FrameDuration is the length assumed for a packet whose Duration is
	// zero (until one of known length came). Default DefaultFrameDuration.
	FrameDuration time.Duration
	// MaxDropout and MaxMisorder bound, in packets, how far ahead and
	// behind the stream a sequence number is still taken as part of it.
	// Defaults DefaultMaxDropout and DefaultMaxMisorder.
	MaxDropout, MaxMisorder int
}

// WithDefaults returns c with every zero field set to its default.
func (c Config) WithDefaults() Config {
	config.Default(&c.Latency, DefaultLatency)
	config.Default(&c.MaxHeld, DefaultMaxHeld)
	config.Default(&c.MaxConceal, DefaultMaxConceal)
	config.Default(&c.MaxGap, DefaultMaxGap)
	config.Default(&c.FrameDuration, DefaultFrameDuration)
	config.Default(&c.MaxDropout, DefaultMaxDropout)
	config.Default(&c.MaxMisorder, DefaultMaxMisorder)
	return c
}

// Validate reports every problem of c after defaults are applied, wrapped
// in ErrBadConfig.
func (c Config) Validate() error {
	c = c.WithDefaults()
	var p config.Problems
	if c.ClockRate <= 0 || c.ClockRate > 1_000_000 {
		p.Addf("ClockRate must be 1 Hz to 1 MHz, is %d", c.ClockRate)
	}
	p.Positive("Latency", c.Latency)
	p.Positive("MaxConceal", c.MaxConceal)
	p.Positive("MaxGap", c.MaxGap)
	p.Positive("FrameDuration", c.FrameDuration)
	if c.MaxHeld <= 0 || c.MaxDropout <= 0 || c.MaxMisorder <= 0 {
		p.Addf("MaxHeld (%d), MaxDropout (%d) and MaxMisorder (%d) must be positive", c.MaxHeld, c.MaxDropout, c.MaxMisorder)
	}
	if c.MaxDropout+c.MaxMisorder >= 1<<15 {
		p.Addf("MaxDropout + MaxMisorder must stay under half the sequence space, is %d", c.MaxDropout+c.MaxMisorder)
	}
	if c.MaxConceal > c.MaxGap {
		p.Addf("MaxConceal (%v) must not exceed MaxGap (%v)", c.MaxConceal, c.MaxGap)
	}
	return p.Err(ErrBadConfig)
}

// ticks converts d to RTP clock ticks at rate.
func ticks(d time.Duration, rate int) int64 {
	return int64(d/time.Microsecond) * int64(rate) / 1_000_000
}
