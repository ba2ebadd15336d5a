package deepgram

import (
	"context"
	"fmt"
	"sync"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/event"
)

// hub fakes the call hub and the transcriber: a track's Finalize emits a
// final of what it was written, straight to the stream's subscription.
type hub struct {
	mu        sync.Mutex
	tracks    map[string]*sink
	events    chan event.Event
	endReason string
	ended     chan struct{}
}

func newHub() *hub {
	return &hub{tracks: map[string]*sink{}, events: make(chan event.Event, 64), ended: make(chan struct{})}
}

func (h *hub) Start(context.Context, bridge.StreamStart) (bridge.Stream, error) {
	return stream{h}, nil
}

func (h *hub) OpenTrack(_ context.Context, info bridge.TrackInfo, emit func(event.Event)) (bridge.TrackSink, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	s := &sink{name: info.Track, emit: emit}
	h.tracks[info.Track] = s
	return s, nil
}

type stream struct{ h *hub }

func (stream) CallID() string                                { return "call_test" }
func (stream) Offset() float64                               { return 0 }
func (s stream) Emit(e event.Event)                          { s.h.events <- e }
func (stream) AdvanceMedia(float64)                          {}
func (s stream) End(reason string)                           { s.h.endReason = reason; close(s.h.ended) }
func (s stream) Subscribe(bool) (bridge.Subscription, error) { return sub{s.h.events}, nil }

type sub struct{ ch chan event.Event }

func (s sub) C() <-chan event.Event { return s.ch }
func (sub) Err() error              { return nil }
func (sub) Close()                  {}

// sink records a track's audio; FinalizeReport ends its utterance: a
// final of the seconds written so far, or "" when nothing was.
type sink struct {
	mu      sync.Mutex
	name    string
	emit    func(event.Event)
	samples int64
	n       int // utterances
	closed  bool
}

func (s *sink) Write(_ int64, samples []float32) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.samples += int64(len(samples))
	return nil
}

func (s *sink) Finalize() error { return s.FinalizeReport(func(string) {}) }

func (s *sink) FinalizeReport(done func(string)) error {
	s.mu.Lock()
	if s.samples == 0 || s.closed {
		s.mu.Unlock()
		done("")
		return nil
	}
	s.n++
	id, secs := fmt.Sprintf("%s-%d", s.name, s.n), float64(s.samples)/bridge.SampleRate
	s.samples = 0
	s.mu.Unlock()
	done(id)
	s.emit(event.Event{Type: event.Transcript, Track: s.name, UtteranceID: id, IsFinal: true, Text: "Heard.", Start: 0, End: secs,
		Words: []event.Word{{Word: "Heard.", Start: 0.1, End: secs, Confidence: 0.9}}})
	return nil
}

func (s *sink) Close(context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	return nil
}

// files fakes the decoder: one segment a channel, saying its length.
type files struct{}

func (files) TranscribeChannel(_ context.Context, samples []float32, o FileOptions) (FileTranscript, error) {
	secs := float64(len(samples)) / bridge.SampleRate
	text := fmt.Sprintf("Said %.1f seconds.", secs)
	return FileTranscript{Language: "en", Segments: []FileSegment{{Start: 0, End: secs, Text: text + o.Prompt,
		Words: []event.Word{{Word: "Said", Start: 0, End: 0.5, Confidence: 0.9}, {Word: "seconds.", Start: 0.5, End: secs, Confidence: 0.7}}}}}, nil
}
