package twilio

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/event"
)

// fakeCalls fakes the hub and the transcriber: the transport's tests need
// only that a stream starts, what it emits and asks for, and that audio
// arrives.
type fakeCalls struct {
	audio atomic.Int64
	ended chan struct{} // closed by the stream's End

	mu         sync.Mutex
	emitted    []event.Event
	subscribed bool
	endReason  string
	started    []bridge.StreamStart
	// back, when set, is what a subscription to the call delivers.
	back chan event.Event
}

func newFakeCalls() *fakeCalls { return &fakeCalls{ended: make(chan struct{})} }

func (f *fakeCalls) Start(_ context.Context, s bridge.StreamStart) (bridge.Stream, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.started = append(f.started, s)
	return fakeStream{f}, nil
}

func (f *fakeCalls) OpenTrack(context.Context, bridge.TrackInfo, func(event.Event)) (bridge.TrackSink, error) {
	return fakeSink{f}, nil
}

// seen returns what the stream emitted, whether it subscribed, and why it
// ended.
func (f *fakeCalls) seen() ([]event.Event, bool, string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.emitted, f.subscribed, f.endReason
}

type fakeStream struct{ f *fakeCalls }

func (fakeStream) CallID() string       { return "call_test" }
func (fakeStream) Offset() float64      { return 0 }
func (fakeStream) AdvanceMedia(float64) {}

func (s fakeStream) Emit(e event.Event) {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	s.f.emitted = append(s.f.emitted, e)
}

func (s fakeStream) End(reason string) {
	s.f.mu.Lock()
	s.f.endReason = reason
	s.f.mu.Unlock()
	close(s.f.ended)
}

func (s fakeStream) Subscribe(bool) (bridge.Subscription, error) {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	s.f.subscribed = true
	if s.f.back != nil {
		return fakeSub{s.f.back}, nil
	}
	return fakeSub{make(chan event.Event)}, nil
}

type fakeSub struct{ ch chan event.Event }

func (s fakeSub) C() <-chan event.Event { return s.ch }
func (fakeSub) Err() error              { return nil }
func (fakeSub) Close()                  {}

type fakeSink struct{ calls *fakeCalls }

func (s fakeSink) Write(_ int64, samples []float32) error {
	s.calls.audio.Add(int64(len(samples)))
	return nil
}
func (fakeSink) Finalize() error             { return nil }
func (fakeSink) Close(context.Context) error { return nil }
