package webrtc

import (
	"context"
	"errors"
	"sync"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/event"
)

// fakeHub fakes the call hub and the transcriber: a stream numbers its
// events and hands them to its subscription; a track counts its audio and,
// when closed, emits a final, as the pipeline does with the utterance in
// progress.
type fakeHub struct {
	mu       sync.Mutex
	starts   []bridge.StreamStart
	tracks   []bridge.TrackInfo
	sinks    []*fakeSink
	ended    []string
	emitted  []event.Event
	subs     int
	seq      uint64
	failOpen error
}

func newFakeHub() *fakeHub { return &fakeHub{} }

func (h *fakeHub) Start(_ context.Context, s bridge.StreamStart) (bridge.Stream, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.starts = append(h.starts, s)
	return &fakeStream{h: h}, nil
}

func (h *fakeHub) OpenTrack(_ context.Context, info bridge.TrackInfo, emit func(event.Event)) (bridge.TrackSink, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.failOpen != nil {
		return nil, h.failOpen
	}
	h.tracks = append(h.tracks, info)
	s := &fakeSink{info: info, emit: emit}
	h.sinks = append(h.sinks, s)
	return s, nil
}

// endReasons returns why each stream ended, in order.
func (h *fakeHub) endReasons() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.ended...)
}

type fakeStream struct {
	h   *fakeHub
	sub chan event.Event // h.mu
}

func (*fakeStream) CallID() string       { return "call_test" }
func (*fakeStream) Offset() float64      { return 0 }
func (*fakeStream) AdvanceMedia(float64) {}

func (s *fakeStream) Emit(e event.Event) {
	h := s.h
	h.mu.Lock()
	defer h.mu.Unlock()
	h.seq++
	e.Seq, e.CallID = h.seq, "call_test"
	h.emitted = append(h.emitted, e)
	if s.sub != nil {
		select {
		case s.sub <- e:
		default:
		}
	}
}

func (s *fakeStream) End(reason string) {
	s.h.mu.Lock()
	defer s.h.mu.Unlock()
	s.h.ended = append(s.h.ended, reason)
}

func (s *fakeStream) Subscribe(bool) (bridge.Subscription, error) {
	s.h.mu.Lock()
	defer s.h.mu.Unlock()
	s.h.subs++
	s.sub = make(chan event.Event, 256)
	return fakeSub{s.sub}, nil
}

type fakeSub struct{ ch chan event.Event }

func (s fakeSub) C() <-chan event.Event { return s.ch }
func (fakeSub) Err() error              { return nil }
func (fakeSub) Close()                  {}

// fakeSink records the audio of one track.
type fakeSink struct {
	info bridge.TrackInfo
	emit func(event.Event)

	mu       sync.Mutex
	writes   [][2]int64 // position, length
	finalize int
	closed   bool
}

var errClosed = errors.New("sink closed")

func (s *fakeSink) Write(pos int64, samples []float32) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return errClosed
	}
	s.writes = append(s.writes, [2]int64{pos, int64(len(samples))})
	return nil
}

func (s *fakeSink) Finalize() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.finalize++
	return nil
}

func (s *fakeSink) Close(context.Context) error {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.emit(event.Event{Type: event.Transcript, Track: s.info.Track, UtteranceID: s.info.Track + "-1", IsFinal: true, Text: "last words"})
	return nil
}

// audio returns the samples written and the positions where a write did
// not continue the previous one.
func (s *fakeSink) audio() (total int64, jumps []int64, end int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, w := range s.writes {
		total += w[1]
		if i == 0 || w[0] != s.writes[i-1][0]+s.writes[i-1][1] {
			jumps = append(jumps, w[0])
		}
		end = w[0] + w[1]
	}
	return total, jumps, end
}

// fakeAdmission refuses with err when set.
type fakeAdmission struct {
	mu  sync.Mutex
	err error
}

func (a *fakeAdmission) Admit() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.err
}

func (a *fakeAdmission) set(err error) {
	a.mu.Lock()
	a.err = err
	a.mu.Unlock()
}
