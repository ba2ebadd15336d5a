// Package event defines the one transcript event schema that every output of
// callscribe speaks: the stream back-channel, the per-call event subscription
// (WebSocket and Server-Sent Events), the webhook payloads and the transcript
// store. It is a leaf package: it imports nothing of the project, so that
// transports, the call hub and the webhook outbox can share the type without
// importing each other.
package event

import (
	"fmt"
	"sort"
	"strings"
)

// Type names the kind of an event.
type Type string

// Event types carried on streams and webhooks.
const (
	// CallStarted is emitted once per call, when its first stream starts.
	CallStarted Type = "call.started"
	// Transcript carries a partial (IsFinal false) or final transcript of
	// one utterance of one track.
	Transcript Type = "transcript"
	// DTMF carries one key press reported by the telephony platform.
	DTMF Type = "dtmf"
	// CallEnded is emitted once per call after its last stream ended and the
	// reconnect grace period passed; it carries the whole transcript.
	CallEnded Type = "call.ended"
)

// Webhook event names. Webhook subscribers filter on these; they are derived
// from Type and IsFinal by WebhookType.
const (
	WebhookCallStarted       = "call.started"
	WebhookTranscriptFinal   = "transcript.final"
	WebhookTranscriptPartial = "transcript.partial"
	WebhookDTMF              = "dtmf"
	WebhookCallEnded         = "call.ended"
)

// Word is one recognised word with its time span in seconds of call time and
// the recogniser's confidence in [0, 1].
type Word struct {
	Word       string  `json:"word"`
	Start      float64 `json:"start"`
	End        float64 `json:"end"`
	Confidence float64 `json:"confidence"`
}

// Event is one message about a call. Fields that do not apply to a Type are
// left at their zero value and omitted from JSON.
type Event struct {
	Type     Type   `json:"type"`
	CallID   string `json:"call_id"`
	StreamID string `json:"stream_id,omitempty"`
	// Seq increases by one per event within a call, starting at 1, across
	// every stream of the call (reconnects included).
	Seq uint64 `json:"seq"`
	// Time is the wall-clock time the event was produced, RFC 3339 with
	// milliseconds, UTC.
	Time string `json:"time,omitempty"`
	// Track labels the audio track: "inbound" (the caller) or "outbound"
	// (the agent) for Twilio streams, "ch0", "ch1"... for raw audio.
	Track string `json:"track,omitempty"`

	// UtteranceID is shared by the partials and the final of one utterance.
	UtteranceID string `json:"utterance_id,omitempty"`
	IsFinal     bool   `json:"is_final,omitempty"`
	Text        string `json:"text,omitempty"`
	// StableText is the prefix of a partial's Text that will not change in
	// later partials of the same utterance.
	StableText string `json:"stable_text,omitempty"`
	// Start and End are seconds of call time (the stream's media clock).
	Start float64 `json:"start,omitempty"`
	End   float64 `json:"end,omitempty"`
	Words []Word  `json:"words,omitempty"`
	// Confidence is the mean word confidence of a transcript.
	Confidence float64 `json:"confidence,omitempty"`
	// LatencyMS is, for a final, the time from the end of speech in the
	// audio to the event leaving the server.
	LatencyMS int64 `json:"latency_ms,omitempty"`

	// Digit is the key of a DTMF event.
	Digit string `json:"digit,omitempty"`

	// Call-level fields, set on CallStarted and CallEnded.
	Call *CallInfo `json:"call,omitempty"`
	// Transcript is the whole call, both tracks in time order (CallEnded).
	Transcript []Utterance `json:"transcript,omitempty"`
}

// CallInfo describes a call: where it came from and, once ended, how long it
// lasted and what it produced.
type CallInfo struct {
	Source           string            `json:"source,omitempty"` // "twilio", "listen", "webrtc"
	AccountSID       string            `json:"account_sid,omitempty"`
	Tracks           []string          `json:"tracks,omitempty"`
	CustomParameters map[string]string `json:"custom_parameters,omitempty"`
	StartedAt        string            `json:"started_at,omitempty"`
	EndedAt          string            `json:"ended_at,omitempty"`
	// DurationSec is the call's media duration in seconds.
	DurationSec float64 `json:"duration_sec,omitempty"`
	// SpeechSec counts seconds of detected speech per track.
	SpeechSec  map[string]float64 `json:"speech_sec,omitempty"`
	Utterances int                `json:"utterances,omitempty"`
	Words      int                `json:"words,omitempty"`
	Streams    int                `json:"streams,omitempty"`
	EndReason  string             `json:"end_reason,omitempty"`
}

// Utterance is one final transcript inside a CallEnded event or a stored
// transcript.
type Utterance struct {
	UtteranceID string  `json:"utterance_id"`
	Track       string  `json:"track"`
	Start       float64 `json:"start"`
	End         float64 `json:"end"`
	Text        string  `json:"text"`
	Words       []Word  `json:"words,omitempty"`
	Confidence  float64 `json:"confidence,omitempty"`
}

// WebhookType returns the webhook event name of e.
func (e *Event) WebhookType() string {
	switch e.Type {
	case Transcript:
		if e.IsFinal {
			return WebhookTranscriptFinal
		}
		return WebhookTranscriptPartial
	default:
		return string(e.Type)
	}
}

// UtteranceOf returns the Utterance a final transcript event describes.
func UtteranceOf(e *Event) Utterance {
	return Utterance{
		UtteranceID: e.UtteranceID,
		Track:       e.Track,
		Start:       e.Start,
		End:         e.End,
		Text:        e.Text,
		Words:       e.Words,
		Confidence:  e.Confidence,
	}
}

// SortUtterances orders utterances by start time, then track, so that a
// two-track transcript reads as the conversation went.
func SortUtterances(us []Utterance) {
	sort.SliceStable(us, func(i, j int) bool {
		if us[i].Start != us[j].Start {
			return us[i].Start < us[j].Start
		}
		return us[i].Track < us[j].Track
	})
}

// PlainText renders utterances one per line as "[track mm:ss] text".
func PlainText(us []Utterance) string {
	var b strings.Builder
	for _, u := range us {
		b.WriteString("[")
		b.WriteString(u.Track)
		b.WriteString(" ")
		b.WriteString(clock(u.Start))
		b.WriteString("] ")
		b.WriteString(u.Text)
		b.WriteString("\n")
	}
	return b.String()
}

func clock(sec float64) string {
	if sec < 0 {
		sec = 0
	}
	t := int(sec)
	return fmt.Sprintf("%02d:%02d", t/60, t%60)
}
