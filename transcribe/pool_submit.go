package transcribe

import (
	"context"
	"fmt"
	"runtime"
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
		// The oldest goes, unless it is an utterance's first partial and
		// a later one is not.
		i := max(0, slices.IndexFunc(p.partials, func(q *poolJob) bool { return !q.job.First }))
		oldest := p.partials[i]
		p.partials = slices.Delete(p.partials, i, i+1)
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
		if len(p.finals) > 0 {
			pj := p.finals[0]
			p.finals = p.finals[1:]
			<-p.finalCap
			return pj
		}
		if i := p.nextPartial(); i >= 0 {
			pj := p.partials[i]
			p.partials = slices.Delete(p.partials, i, i+1)
			return pj
		}
		if p.closed && len(p.partials) == 0 {
			return nil
		}
		p.cond.Wait()
	}
}

// nextPartial returns the index of the partial queue's job to run next,
// or -1 when it is empty or its jobs must wait for cores. A speculative
// final goes first: it is likely to be a final within a few hundred ms.
// Then an utterance's first partial, then the oldest. Only a first
// partial may take a core a running decode's threads use: it is short,
// and the time to first text is worth a moment of oversubscription. The
// caller holds p.mu.
func (p *Pool) nextPartial() int {
	order := make([]int, 0, 3)
	for _, pick := range []func(*poolJob) bool{
		func(q *poolJob) bool { return q.job.Kind == Speculative },
		func(q *poolJob) bool { return q.job.First },
		func(*poolJob) bool { return true },
	} {
		if i := slices.IndexFunc(p.partials, pick); i >= 0 {
			order = append(order, i)
		}
	}
	for _, i := range order {
		// With no decode running any job fits, however many threads it asks.
		busy := p.stats.CoresBusy
		if j := p.partials[i].job; busy == 0 || busy+j.threads() <= p.cfg.Cores || j.First {
			return i
		}
	}
	return -1
}

// threads is the number of cores the job's decode uses.
func (j Job) threads() int { return max(1, j.Options.Threads) }

func (p *Pool) work(d Decoder) {
	defer p.wg.Done()
	// The decode runs on this goroutine's thread, whose CPU time measures
	// it: the goroutine stays on that thread.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	for {
		p.mu.Lock()
		pj := p.next()
		if pj == nil {
			p.mu.Unlock()
			return
		}
		pj.taken = true
		threads := pj.job.threads()
		p.util.advance(p.cfg.Clock.Now(), p.stats.CoresBusy, p.cfg.Cores)
		p.stats.Busy++
		p.stats.CoresBusy += threads
		if pj.job.Kind == Partial {
			p.stats.BusyPartials++
		}
		ctx, cancel := context.WithCancelCause(pj.ctx)
		pj.cancel = cancel
		p.running = append(p.running, pj)
		p.mu.Unlock()
		if pj.job.Started != nil {
			pj.job.Started()
		}

		// The label splits a CPU profile of the server into final and
		// partial decodes (go tool pprof -tagfocus decode=final).
		var res Result
		var err error
		began := p.cfg.Clock.Now()
		cpu0, timed := threadCPU()
		pprof.Do(ctx, pprof.Labels("decode", pj.job.Kind.String()), func(ctx context.Context) {
			res, err = d.Decode(ctx, pj.job.Samples, pj.job.Options)
		})
		cancel(nil)
		wall := p.cfg.Clock.Now().Sub(began)
		spent := wall
		cpu1, ok := threadCPU()
		if ok && timed {
			spent = cpu1 - cpu0
		}

		p.mu.Lock()
		if ok && timed {
			p.noteShare(spent, wall)
		}
		p.util.advance(p.cfg.Clock.Now(), p.stats.CoresBusy, p.cfg.Cores)
		p.stats.Busy--
		p.stats.CoresBusy -= threads
		if pj.job.Kind == Partial {
			p.stats.BusyPartials--
		}
		p.stats.Engine.add(pj.job.Kind, spent.Seconds()*float64(threads), err != nil)
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
		if len(p.partials) > 0 {
			// Cores came free: a worker may be waiting for them.
			p.cond.Broadcast()
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
