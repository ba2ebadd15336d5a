package stream

import (
	"time"

	"github.com/callscribe/callscribe/bridge/event"
)

// Partial is a live view of an utterance still being spoken. Later partials
// of the same utterance keep StableText as a prefix; the final replaces the
// whole view and may differ from it.
type Partial struct {
	Track       string
	UtteranceID string
	// Text is StableText followed by the unstable tail.
	Text string
	// StableText is the words that later partials will not change.
	StableText string
	// Start and End are the decoded span in seconds of call time.
	Start, End float64
	// Words are the words of Text, times in seconds of call time.
	Words []event.Word
}

// Final is the transcript of one whole utterance.
type Final struct {
	Track       string
	UtteranceID string
	Text        string
	// Start and End are the utterance in seconds of call time.
	Start, End float64
	// Words carry seconds of call time, clamped to [Start, End].
	Words []event.Word
	// Confidence is the mean word confidence.
	Confidence float64
	// SpeechEndAt is the time passed with the speech end (or Flush) that
	// closed the utterance: the start of the final's latency.
	SpeechEndAt time.Time
	// Dropped is the guard's reason when the final was rejected; Keep for
	// a final that is emitted.
	Dropped DropReason
}

// Event returns p as a transcript event; the session adds the call ID,
// stream ID, sequence number and time.
func (p Partial) Event() event.Event {
	return event.Event{
		Type:        event.Transcript,
		Track:       p.Track,
		UtteranceID: p.UtteranceID,
		Text:        p.Text,
		StableText:  p.StableText,
		Start:       p.Start,
		End:         p.End,
		Words:       p.Words,
	}
}

// Event returns f as a final transcript event sent at sentAt, which sets
// its latency; the session adds the call ID, stream ID, sequence number and
// time.
func (f Final) Event(sentAt time.Time) event.Event {
	return event.Event{
		Type:        event.Transcript,
		Track:       f.Track,
		UtteranceID: f.UtteranceID,
		IsFinal:     true,
		Text:        f.Text,
		Start:       f.Start,
		End:         f.End,
		Words:       f.Words,
		Confidence:  f.Confidence,
		LatencyMS:   sentAt.Sub(f.SpeechEndAt).Milliseconds(),
	}
}
