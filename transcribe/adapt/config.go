package adapt

import (
	"time"

	"github.com/callscribe/callscribe/bridge/config"
)

// Config bounds the policy. Zero fields take the defaults listed with them
// (WithDefaults); the pinned fields stay zero unless the operator set
// them.
type Config struct {
	// BeamSize, Threads and PartialInterval pin a setting: when not zero,
	// every decision carries it at every load.
	BeamSize        int
	Threads         int
	PartialInterval time.Duration

	// SpareBeamSize is the finals' beam width while the pool has room.
	// Default 5.
	SpareBeamSize int
	// SpareThreads is the threads a final gets when it decodes alone (no
	// other decode running or waiting); never more than the pool's cores.
	// Two threads cost twice the CPU for about 1.7x the speed, so they are
	// only worth it on cores nobody else wants. Default 2.
	SpareThreads int
	// MinCPUShare is the least transcribe.Load.CPUShare at which a lone
	// final gets SpareThreads: on cores that other processes share, one
	// OpenMP thread waits spinning whenever the other is off its core,
	// and two threads cost several times the CPU for no gain. Default
	// 0.85.
	MinCPUShare float64
	// FastPartials and SlowPartials bound the partial interval: new speech
	// between two partials with room to spare, and at the end of the
	// stretch. Defaults 800 ms and 8 s: an utterance's first partial keeps
	// the short interval, and under load the CPU a later partial would
	// take keeps finals' beams instead (the load bench at 8 calls: with 3
	// s and greedy finals, WER 3.1-3.3% against 1.8% alone; with 8 s and
	// beams, 2.0-2.8% for 2% more CPU).
	FastPartials, SlowPartials time.Duration

	// StretchFrom, GreedyFrom and SingleFrom are the utilisations
	// (transcribe.Load.Utilisation) at which each shed step begins:
	// partials start to stretch (reaching SlowPartials at GreedyFrom),
	// finals go greedy, finals keep to one thread and speculation stops.
	// Defaults 0.25, 0.65 and 0.8.
	StretchFrom, GreedyFrom, SingleFrom float64
}

// WithDefaults returns c with every zero field set to its default.
func (c Config) WithDefaults() Config {
	config.Default(&c.SpareBeamSize, 5)
	config.Default(&c.SpareThreads, 2)
	config.Default(&c.MinCPUShare, 0.85)
	config.Default(&c.FastPartials, 800*time.Millisecond)
	config.Default(&c.SlowPartials, 8*time.Second)
	config.Default(&c.StretchFrom, 0.25)
	config.Default(&c.GreedyFrom, 0.65)
	config.Default(&c.SingleFrom, 0.8)
	return c
}

// Validate reports what is wrong with c once defaults are applied,
// wrapping ErrBadConfig.
func (c Config) Validate() error {
	c = c.WithDefaults()
	var p config.Problems
	if c.BeamSize < 0 || c.Threads < 0 || c.PartialInterval < 0 {
		p.Addf("pinned BeamSize %d, Threads %d and PartialInterval %v must not be negative", c.BeamSize, c.Threads, c.PartialInterval)
	}
	if c.SpareBeamSize < 1 || c.SpareThreads < 1 {
		p.Addf("SpareBeamSize %d and SpareThreads %d must be at least 1", c.SpareBeamSize, c.SpareThreads)
	}
	if c.MinCPUShare < 0 || c.MinCPUShare > 1 {
		p.Addf("MinCPUShare %v must be in [0, 1]", c.MinCPUShare)
	}
	if c.FastPartials <= 0 || c.SlowPartials < c.FastPartials {
		p.Addf("partial intervals must be 0 < FastPartials (%v) <= SlowPartials (%v)", c.FastPartials, c.SlowPartials)
	}
	if !(0 < c.StretchFrom && c.StretchFrom < c.GreedyFrom && c.GreedyFrom <= c.SingleFrom && c.SingleFrom <= 1) {
		p.Addf("thresholds must be 0 < StretchFrom (%v) < GreedyFrom (%v) <= SingleFrom (%v) <= 1", c.StretchFrom, c.GreedyFrom, c.SingleFrom)
	}
	return p.Err(ErrBadConfig)
}
