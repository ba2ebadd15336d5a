package listen

import (
	"context"
	"sync"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/event"
)

// calls fakes the hub and the transcriber: the transport's tests need only
// that a stream starts, and to see what reached each track.
type calls struct {
	mu        sync.Mutex
	tracks    map[string]*sink
	endReason string
	media     float64
	ended     chan struct{}
}

func newCalls() *calls { return &calls{tracks: map[string]*sink{}, ended: make(chan struct{})} }

func (c *calls) Start(context.Context, bridge.StreamStart) (bridge.Stream, error) {
	return stream{c}, nil
}

func (c *calls) OpenTrack(_ context.Context, info bridge.TrackInfo, _ func(event.Event)) (bridge.TrackSink, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := &sink{}
	c.tracks[info.Track] = s
	return s, nil
}

func (c *calls) track(name string) *sink {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.tracks[name]
}

type stream struct{ c *calls }

func (stream) CallID() string   { return "call_test" }
func (stream) Offset() float64  { return 0 }
func (stream) Emit(event.Event) {}
func (s stream) AdvanceMedia(sec float64) {
	s.c.mu.Lock()
	s.c.media = sec
	s.c.mu.Unlock()
}
func (s stream) End(reason string) {
	s.c.mu.Lock()
	s.c.endReason = reason
	s.c.mu.Unlock()
	close(s.c.ended)
}
func (stream) Subscribe(bool) (bridge.Subscription, error) { return sub{make(chan event.Event)}, nil }

type sub struct{ ch chan event.Event }

func (s sub) C() <-chan event.Event { return s.ch }
func (sub) Err() error              { return nil }
func (sub) Close()                  {}

// sink records a track's writes.
type sink struct {
	mu        sync.Mutex
	samples   int64
	next      int64 // where the next write must start
	gaps      int
	finalized int
	closed    bool
}

func (s *sink) Write(pos int64, samples []float32) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if pos != s.next {
		s.gaps++
	}
	s.samples += int64(len(samples))
	s.next = pos + int64(len(samples))
	return nil
}

func (s *sink) Finalize() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.finalized++
	return nil
}

func (s *sink) Close(context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	return nil
}
