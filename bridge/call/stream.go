package call

import (
	"slices"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/event"
)

var _ bridge.Stream = (*Stream)(nil)

// Stream is one media stream of a call, as the hub sees it. The transport
// that opened it with Hub.Start reports through it what the stream
// produces, and ends it with End. Its methods are safe for concurrent use.
type Stream struct {
	call     *callState
	id       string
	offset   float64
	startSeq uint64
	resumed  bool
	media    float64 // stream media time reached; call.mu
	ended    bool    // call.mu
}

// CallID returns the id of the call the stream belongs to.
func (s *Stream) CallID() string { return s.call.id }

// StreamID returns the stream's id.
func (s *Stream) StreamID() string { return s.id }

// Offset returns the call time, in seconds, at which this stream's audio
// starts: 0 for a call's first stream, the call's media time reached so far
// for a reconnect. Transports add it to stream times so that utterance
// times are in call time (bridge.TrackInfo.Offset).
func (s *Stream) Offset() float64 { return s.offset }

// Resumed reports whether the stream continues a call an earlier stream
// started.
func (s *Stream) Resumed() bool { return s.resumed }

// Emit numbers and hands on an event the stream's pipeline produced: a
// transcript (partial or final, Track and UtteranceID set, times in call
// time) or a DTMF key. The hub sets CallID, Seq and Time, and StreamID when
// empty. A final whose utterance is already final in the call is dropped,
// and so is a partial of such an utterance. Emit returns once the sinks
// have taken the event; events arriving after call.ended, and call.started
// or call.ended themselves, are dropped and counted. Emit has the shape of
// the emit callback of bridge.Transcriber.OpenTrack.
func (s *Stream) Emit(e event.Event) {
	if e.Type != event.Transcript && e.Type != event.DTMF {
		s.call.hub.metrics.EventsRejected.Add(1)
		s.call.log.Warn("event type not emitted by streams dropped", "type", e.Type, "stream_id", s.id)
		return
	}
	c := s.call
	c.emitMu.Lock()
	defer c.emitMu.Unlock()
	c.emitLocked(e, s.id)
}

// AdvanceMedia reports that the stream's media reached sec seconds since
// its first sample (stream time, as the platform's timestamps count; the
// hub adds Offset). It feeds the offset of a later reconnect and the
// call's duration. Values below one already reported are ignored.
func (s *Stream) AdvanceMedia(sec float64) {
	c := s.call
	c.mu.Lock()
	defer c.mu.Unlock()
	if s.ended || sec <= s.media {
		return
	}
	s.media = sec
	c.media = max(c.media, s.offset+sec)
}

// AddSpeech adds sec seconds of detected speech on track to the call's
// figures (call.ended's speech_sec).
func (s *Stream) AddSpeech(track string, sec float64) {
	if sec <= 0 {
		return
	}
	c := s.call
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.speech == nil {
		c.speech = make(map[string]float64)
	}
	c.speech[track] += sec
}

// End reports that the stream is over (stop message, socket closed, network
// drop); reason becomes call.ended's end_reason if no stream follows. When
// the call has no other open stream, it waits Config.Grace for a reconnect
// before it ends. End is idempotent. A transport should close its tracks
// first, so that their last finals are emitted before End.
func (s *Stream) End(reason string) {
	c, h := s.call, s.call.hub
	h.mu.Lock()
	defer h.mu.Unlock()
	c.mu.Lock()
	defer c.mu.Unlock()
	if s.ended {
		return
	}
	s.ended = true
	c.live = slices.DeleteFunc(c.live, func(o *Stream) bool { return o == s })
	c.endReason, c.lastEnd = reason, h.clock.Now()
	c.graceGen++
	if len(c.live) > 0 || c.ending || h.closed {
		return
	}
	gen := c.graceGen
	stopTimer(&c.grace)
	c.grace = h.afterFunc(h.cfg.Grace, func() { h.graceExpired(c, gen) })
	c.log.Debug("last stream ended, waiting for a reconnect", "stream_id", s.id, "reason", reason, "grace", h.cfg.Grace)
}

// Subscribe follows the call, for a transport that writes events back on
// its own stream, from the event this stream started at on: a reconnecting
// stream does not get again what its predecessor sent back. The
// subscription is a channel of Config.SubscriberQueue events that the hub
// fills itself, with no goroutine. Once it is three quarters full, partials
// are dropped; if a final, DTMF or call.ended finds it full, C closes and Err
// returns ErrSlowSubscriber. C closes with a nil Err after call.ended.
func (s *Stream) Subscribe(partials bool) (bridge.Subscription, error) {
	if _, err := s.call.hub.lookup(s.call.id); err != nil {
		return nil, err
	}
	return s.call.subscribeBack(s.startSeq, partials), nil
}
