package transcribe

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/callscribe/callscribe/bridge/clock/clocktest"
)

func TestLoadUtilisationFollowsTheCoresInUse(t *testing.T) {
	clk := clocktest.NewManual()
	p, g := gatedPool(t, PoolConfig{Workers: 2, LoadWindow: 5 * time.Second, Clock: clk})
	if l := p.Load(); !l.Idle() || l.Utilisation != 0 || l.Workers != 2 || l.Cores != 2 || l.CPUShare != 1 {
		t.Fatalf("new pool: %+v", l)
	}
	final := submitAsync(p, 1, Final, "")
	<-g.started
	// One core of two for one window: the average covers 1 - 1/e of the
	// way to a half.
	clk.Advance(5 * time.Second)
	l := p.Load()
	if want := 0.5 * (1 - math.Exp(-1)); math.Abs(l.Utilisation-want) > 1e-9 {
		t.Errorf("after one window at half: utilisation %.4f, want %.4f", l.Utilisation, want)
	}
	if l.Busy != 1 || l.BusyFinals != 1 || l.CoresBusy != 1 || l.Idle() {
		t.Errorf("load %+v: want one final on one core", l)
	}
	g.release <- struct{}{}
	if err := <-final; err != nil {
		t.Fatal(err)
	}
	// Idle again: the average decays towards zero.
	before := p.Load().Utilisation
	clk.Advance(10 * time.Second)
	if after := p.Load().Utilisation; math.Abs(after-before*math.Exp(-2)) > 1e-9 {
		t.Errorf("idle for two windows: %.4f, want %.4f", after, before*math.Exp(-2))
	}
}

func TestPoolKeepsPartialsOffCoresAFinalUses(t *testing.T) {
	p, g := gatedPool(t, PoolConfig{Workers: 2, Cores: 2})
	// A lone final on both cores: a partial waits, though a worker is
	// free, rather than oversubscribe them.
	errc := make(chan error, 1)
	go func() {
		_, err := p.Submit(context.Background(), Job{Samples: []float32{1}, Kind: Final, Options: Options{Threads: 2}})
		errc <- err
	}()
	<-g.started
	partial := submitAsync(p, 2, Partial, "a")
	waitQueued(t, p, 0, 1)
	// A final does not wait for cores.
	second := submitAsync(p, 3, Final, "")
	if v := <-g.started; v != 3 {
		t.Fatalf("started %v, want the second final on the free worker", v)
	}
	if l := p.Load(); l.CoresBusy != 3 || l.BusyFinals != 2 || l.BusySpeculative != 0 || l.QueuedPartials != 1 {
		t.Fatalf("load %+v: want two finals on 3 cores and the partial waiting", l)
	}
	g.release <- struct{}{}
	g.release <- struct{}{}
	if v := <-g.started; v != 2 {
		t.Fatalf("started %v, want the partial once cores came free", v)
	}
	g.release <- struct{}{}
	for _, c := range []<-chan error{errc, second, partial} {
		if err := <-c; err != nil {
			t.Fatal(err)
		}
	}
}

func TestPoolRunsFirstPartialsFirstAndDropsThemLast(t *testing.T) {
	p, g := gatedPool(t, PoolConfig{Workers: 1, PartialQueue: 2})
	busy := submitAsync(p, 1, Final, "")
	<-g.started
	later := submitAsync(p, 2, Partial, "a")
	waitQueued(t, p, 0, 1)
	firstErr := make(chan error, 1)
	go func() {
		_, err := p.Submit(context.Background(), Job{Samples: []float32{3}, Kind: Partial, Key: "b", First: true})
		firstErr <- err
	}()
	waitQueued(t, p, 0, 2)
	// The queue is full: the later partial goes, the first one stays even
	// though it is older than the newcomer.
	third := submitAsync(p, 4, Partial, "c")
	if err := <-later; !errors.Is(err, ErrDropped) {
		t.Fatalf("later partial: %v, want ErrDropped", err)
	}
	g.release <- struct{}{}
	if v := <-g.started; v != 3 {
		t.Fatalf("started %v, want the first partial", v)
	}
	g.release <- struct{}{}
	<-g.started
	g.release <- struct{}{}
	for _, c := range []<-chan error{busy, firstErr, third} {
		if err := <-c; err != nil {
			t.Fatal(err)
		}
	}
}

// sleepDecoder takes a fixed time per decode, or until cancelled.
type sleepDecoder struct{ d time.Duration }

func (s sleepDecoder) Decode(ctx context.Context, _ []float32, _ Options) (Result, error) {
	select {
	case <-time.After(s.d):
		return Result{}, nil
	case <-ctx.Done():
		return Result{}, ctx.Err()
	}
}

func (sleepDecoder) Close() error { return nil }

func TestPoolCountsEngineTimeByKind(t *testing.T) {
	p, err := NewPool(func() (Decoder, error) { return sleepDecoder{20 * time.Millisecond}, nil }, PoolConfig{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	ctx := context.Background()
	for _, k := range []DecodeKind{Final, Partial, Speculative} {
		if _, err := p.Submit(ctx, Job{Samples: []float32{1}, Kind: k}); err != nil {
			t.Fatal(err)
		}
	}
	cctx, cancel := context.WithTimeout(ctx, 5*time.Millisecond)
	defer cancel()
	if _, err := p.Submit(cctx, Job{Samples: []float32{1}, Kind: Speculative}); err == nil {
		t.Fatal("a decode cut short by its context succeeded")
	}
	// Cut short while it ran, given up before a worker took it, or, on a
	// machine slow enough, done before the worker saw the deadline: wait
	// until the pool has counted it.
	for st := p.Stats(); st.Completed+st.Cancelled+st.Abandoned < 4; st = p.Stats() {
		time.Sleep(time.Millisecond)
	}
	// A sleeping decode uses next to no CPU: the figures are only checked
	// to be counted in the right place.
	e := p.Stats().Engine
	if e.Final < 0 || e.Partial < 0 || e.Speculative < e.Wasted || e.Wasted < 0 {
		t.Errorf("engine seconds %+v", e)
	}
	// The decodes slept: their thread had next to no CPU for their wall
	// time, as if other processes had taken the cores.
	if sh := p.Load().CPUShare; sh > 0.9 {
		t.Errorf("CPU share %.2f after sleeping decodes, want it to have fallen", sh)
	}
	var zero EngineSeconds
	zero.add(Final, 1, false)
	zero.add(Partial, 2, false)
	zero.add(Speculative, 4, true)
	if zero != (EngineSeconds{Final: 1, Partial: 2, Speculative: 4, Wasted: 4}) {
		t.Errorf("add: %+v", zero)
	}
}

func TestPoolTellsWhenAJobStarts(t *testing.T) {
	p, g := gatedPool(t, PoolConfig{Workers: 1})
	busy := submitAsync(p, 1, Final, "")
	<-g.started
	started := make(chan struct{})
	errc := make(chan error, 1)
	go func() {
		_, err := p.Submit(context.Background(), Job{Samples: []float32{2}, Kind: Speculative, Started: func() { close(started) }})
		errc <- err
	}()
	waitQueued(t, p, 0, 1)
	select {
	case <-started:
		t.Fatal("Started called while the job waits")
	default:
	}
	g.release <- struct{}{}
	<-started
	if v := <-g.started; v != 2 {
		t.Fatalf("started %v", v)
	}
	g.release <- struct{}{}
	for _, c := range []<-chan error{busy, errc} {
		if err := <-c; err != nil {
			t.Fatal(err)
		}
	}
}
