package transcribe

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"testing"
)

// gateDecoder blocks each decode until the test releases it, and records
// the order of the jobs it ran by their first sample.
type gateDecoder struct {
	started chan float32
	release chan struct{}
	mu      *sync.Mutex
	order   *[]float32
	closed  bool
}

func (d *gateDecoder) Decode(ctx context.Context, s []float32, _ Options) (Result, error) {
	d.started <- s[0]
	select {
	case <-d.release:
	case <-ctx.Done():
		return Result{}, ctx.Err()
	}
	d.mu.Lock()
	*d.order = append(*d.order, s[0])
	d.mu.Unlock()
	return Result{Segments: []Segment{{Text: fmt.Sprint(s[0])}}}, nil
}

func (d *gateDecoder) Close() error { d.closed = true; return nil }

type gate struct {
	started chan float32
	release chan struct{}
	mu      sync.Mutex
	order   []float32
	decs    []*gateDecoder
}

func newGate() *gate {
	return &gate{started: make(chan float32, 16), release: make(chan struct{})}
}

func (g *gate) factory() (Decoder, error) {
	d := &gateDecoder{started: g.started, release: g.release, mu: &g.mu, order: &g.order}
	g.decs = append(g.decs, d)
	return d, nil
}

func TestPoolRunsFinalsBeforePartials(t *testing.T) {
	g := newGate()
	p, err := NewPool(g.factory, PoolConfig{Workers: 1, PartialQueue: 4})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	results := make(chan string, 8)
	submit := func(v float32, pr DecodeKind, key string) {
		go func() {
			r, err := p.Submit(ctx, Job{Samples: []float32{v}, Kind: pr, Key: key})
			if err != nil {
				results <- err.Error()
				return
			}
			results <- r.Text()
		}()
	}
	submit(1, Final, "") // occupies the only worker
	<-g.started
	submit(2, Partial, "a")
	waitQueued(t, p, 0, 1)
	submit(3, Partial, "b")
	waitQueued(t, p, 0, 2)
	submit(4, Final, "")
	waitQueued(t, p, 1, 2)
	for i := 0; i < 4; i++ {
		g.release <- struct{}{}
		if i < 3 {
			<-g.started
		}
	}
	for i := 0; i < 4; i++ {
		<-results
	}
	want := []float32{1, 4, 2, 3}
	if fmt.Sprint(g.order) != fmt.Sprint(want) {
		t.Fatalf("order = %v, want %v", g.order, want)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	for _, d := range g.decs {
		if !d.closed {
			t.Fatal("decoder not closed by Close")
		}
	}
}

func TestPoolSupersedesAndDropsPartials(t *testing.T) {
	g := newGate()
	p, err := NewPool(g.factory, PoolConfig{Workers: 1, PartialQueue: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	ctx := context.Background()
	errs := make(chan error, 8)
	submit := func(v float32, key string) {
		go func() {
			_, err := p.Submit(ctx, Job{Samples: []float32{v}, Kind: Partial, Key: key})
			errs <- err
		}()
	}
	submit(1, "busy")
	<-g.started
	submit(2, "a")
	waitQueued(t, p, 0, 1)
	submit(3, "a") // replaces 2
	if err := <-errs; !errors.Is(err, ErrSuperseded) {
		t.Fatalf("replaced partial: err = %v, want ErrSuperseded", err)
	}
	submit(4, "b")
	waitQueued(t, p, 0, 2)
	submit(5, "c") // queue full: drops the oldest (3)
	if err := <-errs; !errors.Is(err, ErrDropped) {
		t.Fatalf("overflow: err = %v, want ErrDropped", err)
	}
	st := p.Stats()
	if st.Superseded != 1 || st.Dropped != 1 || st.QueuedPartials != 2 {
		t.Fatalf("stats = %+v", st)
	}
	close(g.release)
	for i := 0; i < 3; i++ {
		if err := <-errs; err != nil {
			t.Fatalf("surviving job failed: %v", err)
		}
	}
	if fmt.Sprint(g.order) != fmt.Sprint([]float32{1, 4, 5}) {
		t.Fatalf("order = %v", g.order)
	}
}

func TestPoolCancelWhileQueuedAndRunning(t *testing.T) {
	g := newGate()
	p, err := NewPool(g.factory, PoolConfig{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	runCtx, cancelRun := context.WithCancel(context.Background())
	queuedCtx, cancelQueued := context.WithCancel(context.Background())
	errs := make(chan error, 2)
	go func() { _, err := p.Transcribe(runCtx, []float32{1}, Options{}); errs <- err }()
	<-g.started
	go func() { _, err := p.Transcribe(queuedCtx, []float32{2}, Options{}); errs <- err }()
	waitQueued(t, p, 1, 0)
	cancelQueued()
	if err := <-errs; !errors.Is(err, context.Canceled) {
		t.Fatalf("queued job: err = %v, want context.Canceled", err)
	}
	if st := p.Stats(); st.QueuedFinals != 0 || st.Abandoned != 1 {
		t.Fatalf("after abandon: %+v", st)
	}
	cancelRun()
	if err := <-errs; !errors.Is(err, context.Canceled) {
		t.Fatalf("running job: err = %v, want context.Canceled", err)
	}
	// The worker counts the stopped decode once it returns.
	for i := 0; p.Stats().Cancelled == 0 && i < 1_000_000; i++ {
		runtime.Gosched()
	}
	if st := p.Stats(); st.Cancelled != 1 || st.Failed != 0 {
		t.Errorf("after the running job's cancel: %+v, want it counted as cancelled, not failed", st)
	}
}

func TestPoolRejectsAfterCloseAndBadConfig(t *testing.T) {
	if _, err := NewPool(newGate().factory, PoolConfig{}); !errors.Is(err, ErrBadConfig) {
		t.Fatalf("zero workers: err = %v", err)
	}
	failing := func() (Decoder, error) { return nil, errors.New("no memory") }
	if _, err := NewPool(failing, PoolConfig{Workers: 2}); err == nil {
		t.Fatal("factory error not reported")
	}
	p, err := NewPool(newGate().factory, PoolConfig{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Transcribe(context.Background(), nil, Options{}); !errors.Is(err, ErrEmpty) {
		t.Fatalf("empty: err = %v", err)
	}
	p.Close()
	if _, err := p.Transcribe(context.Background(), []float32{1}, Options{}); !errors.Is(err, ErrClosed) {
		t.Fatalf("after close: err = %v", err)
	}
}

// waitQueued waits until the pool holds the given queue lengths. Submit
// runs in goroutines, so the test polls the pool's own state rather than
// sleeping.
func waitQueued(t *testing.T, p *Pool, finals, partials int) {
	t.Helper()
	for i := 0; i < 1_000_000; i++ {
		st := p.Stats()
		if st.QueuedFinals == finals && st.QueuedPartials == partials {
			return
		}
		runtime.Gosched()
	}
	t.Fatalf("queue never reached finals=%d partials=%d: %+v", finals, partials, p.Stats())
}

// gatedPool returns a pool of gate decoders, released and closed when the
// test ends.
func gatedPool(t *testing.T, cfg PoolConfig) (*Pool, *gate) {
	t.Helper()
	g := newGate()
	p, err := NewPool(g.factory, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { close(g.release); p.Close() })
	return p, g
}

// submitAsync submits a job of the one sample v from a goroutine; Submit's
// error arrives on the returned channel.
func submitAsync(p *Pool, v float32, pr DecodeKind, key string) <-chan error {
	errc := make(chan error, 1)
	go func() {
		_, err := p.Submit(context.Background(), Job{Samples: []float32{v}, Kind: pr, Key: key})
		errc <- err
	}()
	return errc
}

func TestPoolPreemptsNewestPartialForFinal(t *testing.T) {
	p, g := gatedPool(t, PoolConfig{Workers: 2})
	older := submitAsync(p, 1, Partial, "a")
	<-g.started
	newer := submitAsync(p, 2, Partial, "b")
	<-g.started
	// Both workers run partials; a final arrives and takes the newer one's
	// worker at once.
	first := submitAsync(p, 3, Final, "")
	if err := <-newer; !errors.Is(err, ErrPreempted) {
		t.Fatalf("newest partial: err %v, want ErrPreempted", err)
	}
	if v := <-g.started; v != 3 {
		t.Fatalf("started %v after the preemption, want the final", v)
	}
	if s := p.Stats(); s.Preempted != 1 || s.Failed != 0 {
		t.Errorf("stats %+v: want 1 preempted, 0 failed", s)
	}
	// A final waiting behind another final preempts nothing more than the
	// one partial left, and only when no worker is free.
	second := submitAsync(p, 4, Final, "")
	if err := <-older; !errors.Is(err, ErrPreempted) {
		t.Fatalf("older partial: err %v, want ErrPreempted", err)
	}
	if v := <-g.started; v != 4 {
		t.Fatalf("started %v, want the second final", v)
	}
	g.release <- struct{}{}
	g.release <- struct{}{}
	for i, errc := range []<-chan error{first, second} {
		if err := <-errc; err != nil {
			t.Errorf("final %d: %v", i+1, err)
		}
	}
}

func TestPoolLeavesPartialsAloneWhenAWorkerIsFree(t *testing.T) {
	p, g := gatedPool(t, PoolConfig{Workers: 2})
	partial := submitAsync(p, 1, Partial, "a")
	<-g.started
	final := submitAsync(p, 2, Final, "")
	<-g.started
	g.release <- struct{}{}
	g.release <- struct{}{}
	if err := <-partial; err != nil {
		t.Errorf("partial: %v", err)
	}
	if err := <-final; err != nil {
		t.Errorf("final: %v", err)
	}
	if s := p.Stats(); s.Preempted != 0 {
		t.Errorf("preempted %d with a free worker", s.Preempted)
	}
}

func TestPoolRunsSpeculativeBeforePartialsAndPreemptsItForFinals(t *testing.T) {
	p, g := gatedPool(t, PoolConfig{Workers: 1, PartialQueue: 4})
	first := submitAsync(p, 1, Final, "") // holds the only worker
	<-g.started
	partial := submitAsync(p, 2, Partial, "a")
	waitQueued(t, p, 0, 1)
	// Same key, other kind: the speculative final does not replace the
	// partial, and runs before it.
	spec := submitAsync(p, 3, Speculative, "a")
	waitQueued(t, p, 0, 2)
	g.release <- struct{}{}
	if v := <-g.started; v != 3 {
		t.Fatalf("after the final, started %v, want the speculative final", v)
	}
	if err := <-first; err != nil {
		t.Fatalf("final: %v", err)
	}
	// A final arriving now takes the worker from the speculative decode.
	second := submitAsync(p, 4, Final, "")
	if err := <-spec; !errors.Is(err, ErrPreempted) {
		t.Fatalf("speculative: err %v, want ErrPreempted", err)
	}
	if v := <-g.started; v != 4 {
		t.Fatalf("started %v, want the final", v)
	}
	g.release <- struct{}{}
	if v := <-g.started; v != 2 {
		t.Fatalf("started %v, want the partial last", v)
	}
	g.release <- struct{}{}
	if err := <-second; err != nil {
		t.Errorf("second final: %v", err)
	}
	if err := <-partial; err != nil {
		t.Errorf("partial: %v", err)
	}
}

func TestPoolSpeculativeFinalPreemptsAPartial(t *testing.T) {
	p, g := gatedPool(t, PoolConfig{Workers: 1})
	partial := submitAsync(p, 1, Partial, "a")
	<-g.started
	if st := p.Stats(); st.Busy != 1 || st.BusyPartials != 1 {
		t.Fatalf("stats %+v, want the one worker on a partial", st)
	}
	spec := submitAsync(p, 2, Speculative, "a")
	if err := <-partial; !errors.Is(err, ErrPreempted) {
		t.Fatalf("partial: %v, want ErrPreempted", err)
	}
	if v := <-g.started; v != 2 {
		t.Fatalf("started %v, want the speculative final", v)
	}
	g.release <- struct{}{}
	if err := <-spec; err != nil {
		t.Fatal(err)
	}
}

func TestEngineSecondsArithmetic(t *testing.T) {
	e := EngineSeconds{Final: 2, Partial: 3, Speculative: 1, Wasted: 0.5}
	if got := e.Minus(EngineSeconds{Final: 1}).Plus(EngineSeconds{Partial: 1}); got != (EngineSeconds{Final: 1, Partial: 4, Speculative: 1, Wasted: 0.5}) {
		t.Errorf("Minus, Plus: %+v", got)
	}
	if got := e.Total(); got != 6 {
		t.Errorf("Total = %v, want 6 (Wasted lies within the kinds)", got)
	}
}
