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
	submit := func(v float32, pr Priority, key string) {
		go func() {
			r, err := p.Submit(ctx, Job{Samples: []float32{v}, Priority: pr, Key: key})
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
			_, err := p.Submit(ctx, Job{Samples: []float32{v}, Priority: Partial, Key: key})
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
}

func TestPoolRejectsAfterCloseAndBadConfig(t *testing.T) {
	if _, err := NewPool(newGate().factory, PoolConfig{}); !errors.Is(err, ErrConfig) {
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
