package transcribe

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/callscribe/callscribe/bridge/clock"
	"github.com/callscribe/callscribe/bridge/config"
)

// DecodeKind says what a decode is for. The pool schedules by it: waiting
// finals first, then speculative finals, then partials (not the order of
// declaration), because a final is what a user keeps and a partial is only
// a preview that the next one replaces.
type DecodeKind int

const (
	// Final jobs are never dropped: submitters wait for queue space.
	Final DecodeKind = iota
	// Partial jobs are dropped or replaced first when the pool falls behind.
	Partial
	// Speculative jobs decode an utterance's final before the silence
	// that ends it is confirmed, so the final is ready when it is. They
	// run after waiting finals and before partials, share the partials'
	// queue bound and are preempted like partials: if speech resumes, or
	// the pool needs the worker, the real final is decoded as usual.
	Speculative
)

// String names the kind as logs and profiles show it.
func (k DecodeKind) String() string {
	switch k {
	case Final:
		return "final"
	case Partial:
		return "partial"
	case Speculative:
		return "speculative"
	}
	return fmt.Sprintf("DecodeKind(%d)", int(k))
}

// Job is one decode request.
type Job struct {
	Samples []float32
	Options Options
	Kind    DecodeKind
	// Key names the stream a partial belongs to (call and track). A newer
	// partial with the same key replaces one still waiting: only the latest
	// view of an utterance is worth decoding.
	Key string
	// First marks an utterance's first partial. It waits ahead of the other
	// partials and is the last one dropped when their queue overflows: the
	// time to first text is what a live view is judged by, and the later
	// partials of a track only refine what it shows.
	First bool
	// Started, if set, is called once a worker has taken the job, before
	// its decode begins, on the worker's goroutine; it must return at
	// once. A submitter deciding whether to wait for a job or to replace
	// it with a more urgent one needs to know.
	Started func()
}

// PoolConfig sizes a Pool.
type PoolConfig struct {
	// Workers is the number of decoders, each decoding one clip at a time.
	// One per core, with one thread each, is the efficient shape.
	Workers int
	// FinalQueue bounds the finals waiting for a worker; submitters wait for
	// space rather than lose a final. 0 means 64 per worker.
	FinalQueue int
	// PartialQueue bounds the partials waiting for a worker; past it the
	// oldest waiting partial is dropped. 0 means 2 per worker.
	PartialQueue int
	// Cores is how many CPU cores the decodes may use together: a decode
	// takes as many as its Options.Threads. A partial or a speculative
	// final waits while starting it would oversubscribe them (OpenMP
	// threads spin, so two decodes sharing a core both slow down); a final
	// never waits for cores. 0 means one per worker.
	Cores int
	// LoadWindow is the time constant of Load.Utilisation, a moving
	// average of the cores in use. Longer smooths over the turn-taking of
	// calls; shorter follows a burst sooner. 0 means 5 s.
	LoadWindow time.Duration
	// Clock times the moving average. Default clock.System().
	Clock clock.Clock
}

// WithDefaults returns c with every zero field set to its default.
func (c PoolConfig) WithDefaults() PoolConfig {
	config.Default(&c.FinalQueue, 64*c.Workers)
	config.Default(&c.PartialQueue, 2*c.Workers)
	config.Default(&c.Cores, c.Workers)
	config.Default(&c.LoadWindow, 5*time.Second)
	c.Clock = clock.Or(c.Clock)
	return c
}

// Validate reports what is wrong with c once defaults are applied,
// wrapping ErrBadConfig.
func (c PoolConfig) Validate() error {
	c = c.WithDefaults()
	switch {
	case c.Workers <= 0:
		return fmt.Errorf("%w: Workers must be at least 1, got %d", ErrBadConfig, c.Workers)
	case c.FinalQueue < 0 || c.PartialQueue < 0:
		return fmt.Errorf("%w: FinalQueue %d and PartialQueue %d must not be negative", ErrBadConfig, c.FinalQueue, c.PartialQueue)
	case c.Cores < 0 || c.LoadWindow < 0:
		return fmt.Errorf("%w: Cores %d and LoadWindow %v must not be negative", ErrBadConfig, c.Cores, c.LoadWindow)
	}
	return nil
}

// PoolStats is a snapshot of a pool's state and counters.
type PoolStats struct {
	Workers int
	Busy    int
	// BusyPartials counts the busy workers decoding a partial, which a
	// final or a speculative final would preempt.
	BusyPartials   int
	QueuedFinals   int
	QueuedPartials int
	Completed      uint64
	Failed         uint64
	// Superseded counts partials replaced by a newer one of the same key.
	Superseded uint64
	// Dropped counts partials dropped because the partial queue was full.
	Dropped uint64
	// Abandoned counts jobs whose submitter gave up before a worker took them.
	Abandoned uint64
	// Preempted counts running partials and speculative finals aborted to
	// free a worker for a final.
	Preempted uint64
	// Cancelled counts decodes stopped because their submitter's context
	// ended while they ran (a hang-up, a stale partial, a speculation that
	// speech resumed over); they are not failures.
	Cancelled uint64
	// CoresBusy is the cores the running decodes use (PoolConfig.Cores).
	CoresBusy int
	// Engine is the CPU time the decodes took, by kind: what a profile of
	// the server would split by its decode label.
	Engine EngineSeconds
}

// EngineSeconds is CPU time spent in decodes, in seconds. Each decode is
// measured by its worker thread's CPU time times its thread count (OpenMP
// helper threads work, or spin, as long as the worker does), where the
// system reports thread times, and by wall time times threads elsewhere.
type EngineSeconds struct {
	Final       float64 `json:"final"`
	Partial     float64 `json:"partial"`
	Speculative float64 `json:"speculative"`
	// Wasted is the part of the above that gave no result: decodes
	// preempted, cancelled (a speculation speech resumed over, a hang-up)
	// or failed.
	Wasted float64 `json:"wasted"`
}

// Minus returns e less an earlier reading of the same counters.
func (e EngineSeconds) Minus(before EngineSeconds) EngineSeconds {
	return EngineSeconds{Final: e.Final - before.Final, Partial: e.Partial - before.Partial,
		Speculative: e.Speculative - before.Speculative, Wasted: e.Wasted - before.Wasted}
}

// Plus returns the sum of two spans' decode time.
func (e EngineSeconds) Plus(o EngineSeconds) EngineSeconds {
	return EngineSeconds{Final: e.Final + o.Final, Partial: e.Partial + o.Partial,
		Speculative: e.Speculative + o.Speculative, Wasted: e.Wasted + o.Wasted}
}

// Total is the decode time of every kind (Wasted lies within it).
func (e EngineSeconds) Total() float64 { return e.Final + e.Partial + e.Speculative }

// add counts one decode's seconds under kind.
func (e *EngineSeconds) add(kind DecodeKind, sec float64, wasted bool) {
	switch kind {
	case Final:
		e.Final += sec
	case Partial:
		e.Partial += sec
	case Speculative:
		e.Speculative += sec
	}
	if wasted {
		e.Wasted += sec
	}
}

// Pool runs decodes on a fixed set of workers, finals first. It is safe for
// concurrent use.
type Pool struct {
	cfg      PoolConfig
	decoders []Decoder
	finalCap chan struct{} // one token per waiting final

	mu       sync.Mutex
	cond     *sync.Cond
	finals   []*poolJob
	partials []*poolJob
	running  []*poolJob // in start order
	stats    PoolStats
	util     utilisation
	cpuShare float64 // see Load.CPUShare
	closed   bool
	wg       sync.WaitGroup
}

type poolJob struct {
	ctx  context.Context
	job  Job
	done chan poolResult // buffered 1
	// taken is set under the pool lock when a worker or a replacement
	// claims the job, so it is answered exactly once.
	taken bool
	// cancel aborts the job's decode once a worker runs it; preempted is
	// set when the pool did so for a final. Both are guarded by the lock.
	cancel    context.CancelCauseFunc
	preempted bool
}

type poolResult struct {
	res Result
	err error
}

// NewPool makes cfg.Workers decoders with newDecoder and starts the workers.
// cfg is checked by Validate.
// If any decoder cannot be made, the ones made are closed and the error is
// returned.
func NewPool(newDecoder DecoderFactory, cfg PoolConfig) (*Pool, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.WithDefaults()
	p := &Pool{cfg: cfg, finalCap: make(chan struct{}, cfg.FinalQueue)}
	p.cond = sync.NewCond(&p.mu)
	p.util = utilisation{window: cfg.LoadWindow, at: cfg.Clock.Now()}
	p.cpuShare = 1
	for i := 0; i < cfg.Workers; i++ {
		d, err := newDecoder()
		if err != nil {
			for _, d := range p.decoders {
				_ = d.Close() // the factory error is the one to report
			}
			return nil, fmt.Errorf("transcribe: pool worker %d: %w", i, err)
		}
		p.decoders = append(p.decoders, d)
	}
	p.stats.Workers = cfg.Workers
	for _, d := range p.decoders {
		p.wg.Add(1)
		go p.work(d)
	}
	return p, nil
}

// Transcribe decodes samples as a final and waits for the result.
func (p *Pool) Transcribe(ctx context.Context, samples []float32, opts Options) (Result, error) {
	return p.Submit(ctx, Job{Samples: samples, Options: opts, Kind: Final})
}

// Stats returns a snapshot of the pool.
func (p *Pool) Stats() PoolStats {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.stats
	s.QueuedFinals = len(p.finals)
	s.QueuedPartials = len(p.partials)
	return s
}
