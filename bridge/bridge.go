// Package bridge is where call audio enters callscribe. Its subpackages are
// the transports (twilio, listen), a track's timeline, the event schema and
// the call hub; this package holds the small interfaces a transport needs
// from the rest of the service, so that transports never import the
// transcription or webhook packages. cmd/callscribe wires implementations in.
package bridge

import (
	"context"
	"errors"
	"time"

	"github.com/callscribe/callscribe/bridge/event"
)

// SampleRate is the rate of the audio transports hand to a TrackSink:
// 16 kHz mono float32 in [-1, 1].
const SampleRate = 16000

// TrackInfo identifies one audio track of one stream of a call.
type TrackInfo struct {
	CallID   string
	StreamID string
	// Track labels the audio: "inbound" (caller) and "outbound" (agent) for
	// Twilio, "ch0", "ch1"... for raw audio.
	Track string
	// Offset is the call time, in seconds, of the stream's first sample: 0
	// for a call's first stream, later for a stream that reconnected.
	Offset float64
	// Language is the requested language ("" for the service default).
	Language string
	// Partials asks for partial transcripts while people speak.
	Partials bool
	// EndSilence, when set, is the silence that ends this track's
	// utterances instead of the service's; the transcriber clamps it to
	// the range it supports.
	EndSilence time.Duration
	// Prompt, when set, is vocabulary to prime every decode of the track
	// with (names, terms), ahead of the previous utterance's text.
	Prompt string
}

// TrackSink receives one track's audio in call order. Transports call Write
// from their read loop: it must not block on transcription (implementations
// queue with a bound and a stated policy when full). Close ends the track:
// the utterance in progress becomes a final, and Close returns once the
// track's last event was emitted or ctx ended.
type TrackSink interface {
	// Write hands samples that start at pos, in samples since the stream's
	// first sample. Positions increase; a jump means a gap too long to fill
	// with silence (the timeline caps the silence it fills).
	Write(pos int64, samples []float32) error
	// Finalize ends the utterance in progress now, as if the speaker had
	// paused: its final follows without waiting for silence.
	Finalize() error
	Close(ctx context.Context) error
}

// FinalizeReporter is a TrackSink that says what a Finalize ended.
// FinalizeReport is Finalize that then calls done, once, with the ID of the
// utterance whose final the Finalize requested, or "" when no utterance
// was open (no final follows). done runs on the track's own goroutine
// before that final is decoded, so it must not block.
type FinalizeReporter interface {
	FinalizeReport(done func(utteranceID string)) error
}

// Transcriber opens a TrackSink per track. emit receives the track's
// transcript events (Type Transcript, without CallID and Seq: the call hub
// stamps those) from the sink's own goroutines; it must not block long.
type Transcriber interface {
	OpenTrack(ctx context.Context, info TrackInfo, emit func(event.Event)) (TrackSink, error)
}

// Admission decides whether a new call may start. It answers an error when
// the service is at capacity, so existing calls keep their latency rather
// than every call degrading, or one wrapping ErrDraining when the service
// is going away.
type Admission interface {
	Admit() error
}

// Refusals counts what the service turned away and why, for its metrics.
// Implementations are safe for concurrent use and return at once.
type Refusals interface {
	Refused(reason string)
}

// Refusal reasons, one per way a request or stream is turned away.
const (
	RefusedCapacity         = "capacity"            // the pipeline's admission: tracks or finals backlog
	RefusedAuthMissing      = "auth_missing"        // no credential
	RefusedAuthBad          = "auth_bad"            // a credential that does not check out
	RefusedAuthScope        = "auth_scope"          // a valid credential without the scope
	RefusedRateLimited      = "rate_limited"        // an address blocked after failed attempts
	RefusedDraining         = "draining"            // the server is shutting down
	RefusedLimitCallsPerKey = "limit_calls_per_key" // too many calls open on one key
	RefusedLimitDuration    = "limit_duration"      // a call past its longest duration
	RefusedLimitIdle        = "limit_idle"          // a stream without media too long
	RefusedLimitSubscribers = "limit_subscribers"   // too many subscribers of one call
	RefusedBadRequest       = "bad_request"         // a malformed request or stream start
)

// NoRefusals counts nothing: the Refusals of a Config that names none.
type NoRefusals struct{}

// Refused does nothing.
func (NoRefusals) Refused(string) {}

// ErrDraining is the Admission error of a server that is draining: it
// takes no new call (its live calls go on), so the client should go to
// another node.
var ErrDraining = errors.New("bridge: server draining")

// StreamStart describes a stream that begins, as a transport learned it.
type StreamStart struct {
	// Key is the platform's identity of the call (Twilio's callSid; a fresh
	// id for raw audio). Streams with the same Key belong to one call.
	Key        string
	StreamID   string
	Source     string // "twilio", "listen"
	AccountSID string
	Tracks     []string
	// CustomParameters are the platform's per-stream parameters.
	CustomParameters map[string]string
}

// Calls is what a transport needs from the call hub: it starts streams;
// the hub numbers their events, fans them out and ends calls.
type Calls interface {
	Start(ctx context.Context, s StreamStart) (Stream, error)
}

// Stream is one transport stream of a call, as the hub tracks it.
type Stream interface {
	// CallID is the call this stream belongs to (the same across
	// reconnects of one Key).
	CallID() string
	// Offset is the call time, in seconds, of this stream's first sample.
	Offset() float64
	// Emit publishes an event of this stream (transcripts, DTMF).
	Emit(e event.Event)
	// AdvanceMedia reports the media time the stream reached, in seconds
	// since its first sample.
	AdvanceMedia(seconds float64)
	// Subscribe returns the call's events for this stream's back-channel.
	Subscribe(partials bool) (Subscription, error)
	// End marks the stream ended with a reason ("stop", "disconnected",
	// EndServerShutdown).
	End(reason string)
}

// EndServerShutdown is the end reason of streams and calls a stopping or
// draining server ended.
const EndServerShutdown = "server_shutdown"

// Subscription delivers a call's events in order until the call ends or
// Close is called. C is closed at the end; Err then tells why.
type Subscription interface {
	C() <-chan event.Event
	Err() error
	Close()
}
