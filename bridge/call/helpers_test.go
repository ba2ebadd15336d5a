package call

import (
	"github.com/callscribe/callscribe/bridge/clock/clocktest"

	"context"
	"errors"
	"log/slog"
	"slices"
	"sync"
	"testing"

	"github.com/callscribe/callscribe/bridge/event"
)

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
func newTestHub(t *testing.T, cfg Config) (*Hub, *clocktest.Manual) {
	t.Helper()
	clock := clocktest.NewManual()
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
