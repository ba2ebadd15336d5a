package call

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/callscribe/callscribe/bridge/event"
)

func TestSinkFailureIsCountedAndSubscribersStillGetTheEvent(t *testing.T) {
	bad := &recordingSink{fail: func(e event.Event) bool { return e.Type == event.DTMF }}
	good := &recordingSink{}
	h, _ := newTestHub(t, Config{Sinks: []Sink{bad, good}})
	s := mustStart(t, h, "CA1", "MZa")
	sub, err := h.Subscribe(context.Background(), s.CallID(), SubscribeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s.Emit(event.Event{Type: event.DTMF, Digit: "1"})
	s.Emit(event.Event{Type: event.DTMF, Digit: "2"})
	if n := h.Metrics().SinkErrors.Load(); n != 2 {
		t.Errorf("sink errors %d, want 2", n)
	}
	if got := seqs(good.of(s.CallID())); !slices.Equal(got, []uint64{1, 2, 3}) {
		t.Errorf("second sink after the failing one got %v", got)
	}
	if got := seqs(drainAvailable(sub)); !slices.Equal(got, []uint64{1, 2, 3}) {
		t.Errorf("subscriber got %v", got)
	}
}

// orderSink checks that it is never called for one call from two
// goroutines at once, and that seqs arrive in order.
type orderSink struct {
	mu       sync.Mutex
	inFlight map[string]bool
	last     map[string]uint64
	problems []string
}

func (s *orderSink) Publish(_ context.Context, e event.Event) error {
	s.mu.Lock()
	if s.inFlight[e.CallID] {
		s.problems = append(s.problems, fmt.Sprintf("%s: concurrent publish at seq %d", e.CallID, e.Seq))
	}
	if e.Seq != s.last[e.CallID]+1 {
		s.problems = append(s.problems, fmt.Sprintf("%s: seq %d after %d", e.CallID, e.Seq, s.last[e.CallID]))
	}
	s.inFlight[e.CallID], s.last[e.CallID] = true, e.Seq
	s.mu.Unlock()
	time.Sleep(10 * time.Microsecond) // widen the window a concurrent call would need
	s.mu.Lock()
	s.inFlight[e.CallID] = false
	s.mu.Unlock()
	return nil
}

func TestSinkCallsAreSerialisedInSeqOrder(t *testing.T) {
	sink := &orderSink{inFlight: map[string]bool{}, last: map[string]uint64{}}
	h, _ := newTestHub(t, Config{Sinks: []Sink{sink}})
	s := mustStart(t, h, "CA1", "MZa")
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 50 {
				s.Emit(final("inbound", fmt.Sprint(g, "-", i), "x", 0, 1))
			}
		})
	}
	wg.Wait()
	if len(sink.problems) > 0 {
		t.Fatalf("%d problems, first: %s", len(sink.problems), sink.problems[0])
	}
	if sink.last[s.CallID()] != 201 {
		t.Errorf("last seq %d, want 201", sink.last[s.CallID()])
	}
}

// blockingSink holds every event of one call until released.
type blockingSink struct {
	callID  atomic.Value
	entered chan struct{}
	release chan struct{}
}

func (s *blockingSink) Publish(ctx context.Context, e event.Event) error {
	if id, _ := s.callID.Load().(string); id == e.CallID && e.Type == event.DTMF {
		s.entered <- struct{}{}
		select {
		case <-s.release:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

func TestSlowSinkForOneCallDoesNotHoldOthers(t *testing.T) {
	sink := &blockingSink{entered: make(chan struct{}), release: make(chan struct{})}
	h, _ := newTestHub(t, Config{Sinks: []Sink{sink}})
	slow := mustStart(t, h, "CA1", "MZa")
	fast := mustStart(t, h, "CA2", "MZb")
	sink.callID.Store(slow.CallID())
	done := make(chan struct{})
	go func() {
		defer close(done)
		slow.Emit(event.Event{Type: event.DTMF, Digit: "1"})
	}()
	<-sink.entered
	fast.Emit(event.Event{Type: event.DTMF, Digit: "2"}) // returns although CA1's sink is stuck
	sub, err := h.Subscribe(context.Background(), fast.CallID(), SubscribeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := seqs(drainAvailable(sub)); !slices.Equal(got, []uint64{1, 2}) {
		t.Errorf("other call's events %v", got)
	}
	close(sink.release)
	<-done
}
