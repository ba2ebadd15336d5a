package transcribe

import (
	"context"
	"fmt"
	"runtime/pprof"
	"slices"
)

// Submit queues a job and waits for its result. A final waits for queue
// space while the final queue is full; a partial never waits: it may be
// answered with ErrSuperseded or ErrDropped. When ctx ends first, Submit
// returns ctx's error and the job is skipped, or aborted if already running.
func (p *Pool) Submit(ctx context.Context, job Job) (Result, error) {
	if len(job.Samples) == 0 {
		return Result{}, fmt.Errorf("%w: no samples", ErrEmpty)
	}
	pj := &poolJob{ctx: ctx, job: job, done: make(chan poolResult, 1)}
	if job.Kind == Final {
		select {
		case p.finalCap <- struct{}{}:
		case <-ctx.Done():
			return Result{}, fmt.Errorf("transcribe: waiting for queue space: %w", ctx.Err())
		}
	}
	if err := p.enqueue(pj); err != nil {
		if job.Kind == Final {
			<-p.finalCap
		}
		return Result{}, err
	}
	select {
	case r := <-pj.done:
		return r.res, r.err
	case <-ctx.Done():
		p.abandon(pj)
		// A worker may have answered meanwhile; the answer wins if so.
		select {
		case r := <-pj.done:
			return r.res, r.err
		default:
			return Result{}, fmt.Errorf("transcribe: %w", ctx.Err())
		}
	}
}

func (p *Pool) enqueue(pj *poolJob) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return ErrClosed
	}
	if pj.job.Kind == Final {
		p.finals = append(p.finals, pj)
		p.cond.Signal()
		p.preempt()
		return nil
	}
	if pj.job.Key != "" {
		for i, old := range p.partials {
			if old.job.Key == pj.job.Key && old.job.Kind == pj.job.Kind {
				p.partials = append(p.partials[:i], p.partials[i+1:]...)
				p.answer(old, poolResult{err: ErrSuperseded})
				p.stats.Superseded++
				break
			}
		}
	}
	if pj.job.Kind == Speculative && p.stats.Busy >= p.stats.Workers {
		// A partial of a pause is worth less than the final it may end.
		p.preemptNewest(Partial, 1)
	}
	if len(p.partials) >= p.cfg.PartialQueue {
		oldest := p.partials[0]
		p.partials = p.partials[1:]
		p.answer(oldest, poolResult{err: ErrDropped})
		p.stats.Dropped++
	}
	p.partials = append(p.partials, pj)
	p.cond.Signal()
	return nil
}

// preempt aborts running partials, then speculative finals, while more
// finals wait than workers are free, newest first (it has done the least
// work). A final's latency would otherwise include the rest of a decode
// that the next partial replaces anyway, or that the final redoes. The
// caller holds p.mu.
func (p *Pool) preempt() {
	need := len(p.finals) - (p.stats.Workers - p.stats.Busy)
	need -= p.preemptNewest(Partial, need)
	p.preemptNewest(Speculative, need)
}

// preemptNewest aborts up to n running jobs of kind, newest first, and
// returns how many it aborted. The caller holds p.mu.
func (p *Pool) preemptNewest(kind DecodeKind, n int) int {
	done := 0
	for i := len(p.running) - 1; i >= 0 && done < n; i-- {
		pj := p.running[i]
		if pj.job.Kind != kind || pj.preempted {
			continue
		}
		pj.preempted = true
		pj.cancel(ErrPreempted)
		p.stats.Preempted++
		done++
	}
	return done
}

// answer delivers a result once; the caller holds p.mu.
func (p *Pool) answer(pj *poolJob, r poolResult) {
	if pj.taken {
		return
	}
	pj.taken = true
	pj.done <- r
}

// abandon removes a waiting job whose submitter gave up.
func (p *Pool) abandon(pj *poolJob) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if pj.taken {
		return
	}
	queue := &p.partials
	if pj.job.Kind == Final {
		queue = &p.finals
	}
	for i, q := range *queue {
		if q == pj {
			*queue = append((*queue)[:i], (*queue)[i+1:]...)
			if pj.job.Kind == Final {
				<-p.finalCap
			}
			break
		}
	}
	p.stats.Abandoned++
	p.answer(pj, poolResult{err: pj.ctx.Err()})
}

// next takes the next job, finals first; it returns nil once the pool is
// closed and empty. The caller holds p.mu.
func (p *Pool) next() *poolJob {
	for {
		switch {
		case len(p.finals) > 0:
			pj := p.finals[0]
			p.finals = p.finals[1:]
			<-p.finalCap
			return pj
		case len(p.partials) > 0:
			// A speculative final waits in the partials' queue but goes
			// first: it is likely to be a final within a few hundred ms.
			i := slices.IndexFunc(p.partials, func(q *poolJob) bool { return q.job.Kind == Speculative })
			i = max(i, 0)
			pj := p.partials[i]
			p.partials = slices.Delete(p.partials, i, i+1)
			return pj
		case p.closed:
			return nil
		}
		p.cond.Wait()
	}
}

func (p *Pool) work(d Decoder) {
	defer p.wg.Done()
	for {
		p.mu.Lock()
		pj := p.next()
		if pj == nil {
			p.mu.Unlock()
			return
		}
		pj.taken = true
		p.stats.Busy++
		if pj.job.Kind == Partial {
			p.stats.BusyPartials++
		}
		ctx, cancel := context.WithCancelCause(pj.ctx)
		pj.cancel = cancel
		p.running = append(p.running, pj)
		p.mu.Unlock()

		// The label splits a CPU profile of the server into final and
		// partial decodes (go tool pprof -tagfocus decode=final).
		var res Result
		var err error
		pprof.Do(ctx, pprof.Labels("decode", pj.job.Kind.String()), func(ctx context.Context) {
			res, err = d.Decode(ctx, pj.job.Samples, pj.job.Options)
		})
		cancel(nil)

		p.mu.Lock()
		p.stats.Busy--
		if pj.job.Kind == Partial {
			p.stats.BusyPartials--
		}
		p.running = slices.DeleteFunc(p.running, func(q *poolJob) bool { return q == pj })
		switch {
		case pj.preempted && err != nil:
			// The abort shows as the decoder's context error; the
			// submitter gets a clear answer, and it is not a failure. A
			// partial that finished before the abort took hold keeps its
			// result.
			res, err = Result{}, ErrPreempted
		case err != nil && pj.ctx.Err() != nil:
			p.stats.Cancelled++
		case err != nil:
			p.stats.Failed++
		default:
			p.stats.Completed++
		}
		p.mu.Unlock()
		pj.done <- poolResult{res: res, err: err}
	}
}

// Close stops accepting jobs, lets the workers finish the jobs already
// queued, waits for them and closes the decoders.
func (p *Pool) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	p.cond.Broadcast()
	p.mu.Unlock()
	p.wg.Wait()
	var first error
	for _, d := range p.decoders {
		if err := d.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}
