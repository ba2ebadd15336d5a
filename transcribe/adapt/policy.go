package adapt

import (
	"fmt"
	"time"

	"github.com/callscribe/callscribe/transcribe"
)

// Step is how far the policy has shed, in the order it sheds.
type Step int

const (
	// Spare: the pool has room; everything optional is spent.
	Spare Step = iota
	// Stretch: partials come less often.
	Stretch
	// Greedy: finals decode with beam 1.
	Greedy
	// Single: finals keep to one thread, no speculation.
	Single
)

// String names the step for logs.
func (s Step) String() string {
	switch s {
	case Spare:
		return "spare"
	case Stretch:
		return "stretch"
	case Greedy:
		return "greedy"
	case Single:
		return "single"
	}
	return fmt.Sprintf("Step(%d)", int(s))
}

// Decision is what a track may spend under one load.
type Decision struct {
	Step Step
	// PartialInterval is the new speech between two partials of an
	// utterance after its first (which always comes after FastPartials).
	PartialInterval time.Duration
	// FinalBeamSize and FinalThreads are the options of a final, or of a
	// speculative final, submitted now.
	FinalBeamSize, FinalThreads int
	// Speculate says whether a final may be decoded during a pause.
	Speculate bool
}

// Policy decides from load snapshots. The zero value is not usable; make
// one with New.
type Policy struct{ cfg Config }

// New returns a Policy on cfg, or an error wrapping ErrBadConfig.
func New(cfg Config) (*Policy, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Policy{cfg: cfg.WithDefaults()}, nil
}

// Config returns the policy's configuration, defaults applied.
func (p *Policy) Config() Config { return p.cfg }

// Step returns how far the policy sheds under l: by utilisation, and all
// the way while a final waits for a worker.
func (p *Policy) Step(l transcribe.Load) Step {
	c := p.cfg
	switch u := l.Utilisation; {
	case l.QueuedFinals > 0 || u >= c.SingleFrom:
		return Single
	case u >= c.GreedyFrom:
		return Greedy
	case u >= c.StretchFrom:
		return Stretch
	}
	return Spare
}

// Decide returns what a track may spend under l.
func (p *Policy) Decide(l transcribe.Load) Decision {
	c := p.cfg
	step := p.Step(l)
	d := Decision{Step: step, PartialInterval: c.partialInterval(step, l.Utilisation), FinalBeamSize: c.SpareBeamSize, FinalThreads: 1}
	if step >= Greedy {
		d.FinalBeamSize = 1
	}
	// A final decodes alone when nothing else runs or waits: extra threads
	// take only cores nobody wants, unless other processes want them. They
	// may still meet a decode that starts meanwhile; the pool keeps
	// partials off those cores.
	if step < Single && l.Idle() && l.CPUShare >= c.MinCPUShare {
		d.FinalThreads = max(1, min(c.SpareThreads, l.Cores))
	}
	// Speculation is for a pool with room: no final waiting, and a worker
	// free of finals, speculative or not; once partials stretch, fewer
	// than half the workers on finals. A speculation that speech resumes
	// over takes CPU that real finals need (the load bench measured the
	// median final latency at 8 calls doubling when it ran whenever one
	// worker was free).
	onFinals, limit := l.BusyFinals+l.BusySpeculative, l.Workers
	if step > Spare {
		limit = max(1, l.Workers/2)
	}
	d.Speculate = step < Single && l.QueuedFinals == 0 && onFinals < limit
	if c.BeamSize > 0 {
		d.FinalBeamSize = c.BeamSize
	}
	if c.Threads > 0 {
		d.FinalThreads = c.Threads
	}
	if c.PartialInterval > 0 {
		d.PartialInterval = c.PartialInterval
	}
	return d
}

// partialInterval stretches linearly from FastPartials at StretchFrom to
// SlowPartials at GreedyFrom, and stays there beyond.
func (c Config) partialInterval(step Step, u float64) time.Duration {
	switch step {
	case Spare:
		return c.FastPartials
	case Stretch:
		f := min(1, max(0, (u-c.StretchFrom)/(c.GreedyFrom-c.StretchFrom)))
		d := c.FastPartials + time.Duration(f*float64(c.SlowPartials-c.FastPartials))
		return d.Round(10 * time.Millisecond)
	}
	return c.SlowPartials
}
