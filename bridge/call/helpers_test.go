package call

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/callscribe/callscribe/bridge/event"
)

// fakeClock is a Clock whose time moves only by Advance, which runs due
// callbacks synchronously, in due order.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
}

type fakeTimer struct {
	clock *fakeClock
	at    time.Time
	f     func()
	done  bool
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) AfterFunc(d time.Duration, f func()) Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{clock: c, at: c.now.Add(d), f: f}
	c.timers = append(c.timers, t)
	return t
}

func (t *fakeTimer) Stop() bool {
	t.clock.mu.Lock()
	defer t.clock.mu.Unlock()
	if t.done {
		return false
	}
	t.done = true
	return true
}

// Advance moves time by d, firing every timer due by then, including timers
// armed by the callbacks it runs.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
	for {
		c.mu.Lock()
		c.timers = slices.DeleteFunc(c.timers, func(t *fakeTimer) bool { return t.done })
		sort.SliceStable(c.timers, func(i, j int) bool { return c.timers[i].at.Before(c.timers[j].at) })
		if len(c.timers) == 0 || c.timers[0].at.After(c.now) {
			c.mu.Unlock()
			return
		}
		t := c.timers[0]
		t.done = true
		c.mu.Unlock()
		t.f()
	}
}

// pending returns the number of timers armed and not yet fired or stopped.
func (c *fakeClock) pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, t := range c.timers {
		if !t.done {
			n++
		}
	}
	return n
}

// recordingSink keeps every event it is given, per call, and fails the
// events fail selects.
type recordingSink struct {
	mu     sync.Mutex
	events map[string][]event.Event
	fail   func(e event.Event) bool
}

func (s *recordingSink) Publish(_ context.Context, e event.Event) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.events == nil {
		s.events = make(map[string][]event.Event)
	}
	s.events[e.CallID] = append(s.events[e.CallID], e)
	if s.fail != nil && s.fail(e) {
		return errors.New("sink refused")
	}
	return nil
}

func (s *recordingSink) of(callID string) []event.Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.events[callID])
}

func quietLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

// newTestHub returns a hub on a fake clock, closed when the test ends.
func newTestHub(t *testing.T, cfg Config) (*Hub, *fakeClock) {
	t.Helper()
	clock := newFakeClock()
	cfg.Clock = clock
	if cfg.Logger == nil {
		cfg.Logger = quietLogger()
	}
	h, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h, clock
}

func mustStart(t *testing.T, h *Hub, key, streamID string, tracks ...string) *Stream {
	t.Helper()
	s, err := h.Start(context.Background(), StartRequest{Key: key, StreamID: streamID, Source: "twilio", Tracks: tracks})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func final(track, id, text string, start, end float64) event.Event {
	return event.Event{Type: event.Transcript, IsFinal: true, Track: track, UtteranceID: id, Text: text, Start: start, End: end}
}

func partial(track, id, text string, start float64) event.Event {
	return event.Event{Type: event.Transcript, Track: track, UtteranceID: id, Text: text, Start: start}
}

// drain reads a subscription that has nothing more to wait for: it returns
// the events and the error that ended it. It fails the test if Next would
// block.
func drain(t *testing.T, sub *Subscription) ([]event.Event, error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // Next returns ctx's error instead of waiting
	var out []event.Event
	for {
		e, err := sub.Next(ctx)
		if err != nil {
			if errors.Is(err, context.Canceled) {
				t.Fatalf("subscription would block after %d events", len(out))
			}
			return out, err
		}
		out = append(out, e)
	}
}

// drainAvailable reads what a subscription has now, without waiting.
func drainAvailable(sub *Subscription) []event.Event {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out []event.Event
	for {
		e, err := sub.Next(ctx)
		if err != nil {
			return out
		}
		out = append(out, e)
	}
}

func seqs(es []event.Event) []uint64 {
	out := make([]uint64, len(es))
	for i, e := range es {
		out[i] = e.Seq
	}
	return out
}

func types(es []event.Event) []event.Type {
	out := make([]event.Type, len(es))
	for i, e := range es {
		out[i] = e.Type
	}
	return out
}
