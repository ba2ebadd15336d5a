package stream

import "time"

// DropReason says why a guard rejected a decode result.
type DropReason int

// Drop reasons, in the order Judge checks them.
const (
	// Keep means no guard objected.
	Keep DropReason = iota
	// DropNoSpeech: every segment with text looked like silence to the
	// model (high no-speech probability and low token probability).
	DropNoSpeech
	// DropEmpty: nothing but punctuation or spaces was left.
	DropEmpty
	// DropLoop: the text compresses too well, the mark of a repetition loop.
	DropLoop
	// DropAnnotation: the text is only sound tags such as "[BLANK_AUDIO]".
	DropAnnotation
	// DropSilencePhrase: a known silence phrase from short or unsure audio.
	DropSilencePhrase
	// DropRepeat: an echo of the track's previous final.
	DropRepeat
)

// String names the reason for logs and metrics labels.
func (r DropReason) String() string {
	switch r {
	case Keep:
		return "keep"
	case DropNoSpeech:
		return "no_speech"
	case DropEmpty:
		return "empty"
	case DropLoop:
		return "loop"
	case DropAnnotation:
		return "annotation"
	case DropSilencePhrase:
		return "silence_phrase"
	case DropRepeat:
		return "repeat"
	}
	return "unknown"
}

// DropCounts counts rejected results by reason.
type DropCounts struct {
	NoSpeech, Empty, Loop, Annotation, SilencePhrase, Repeat int
}

// Total is the number of rejected results.
func (c DropCounts) Total() int {
	return c.NoSpeech + c.Empty + c.Loop + c.Annotation + c.SilencePhrase + c.Repeat
}

func (c *DropCounts) add(r DropReason) {
	switch r {
	case DropNoSpeech:
		c.NoSpeech++
	case DropEmpty:
		c.Empty++
	case DropLoop:
		c.Loop++
	case DropAnnotation:
		c.Annotation++
	case DropSilencePhrase:
		c.SilencePhrase++
	case DropRepeat:
		c.Repeat++
	}
}

// Stats counts what a policy saw and decided over its track's life.
type Stats struct {
	// Utterances counts utterances opened, forced splits included.
	Utterances int
	// ForcedSplits counts utterances the policy cut itself at MaxUtterance
	// or at a gap in the audio too long to fill.
	ForcedSplits int
	// EmptyUtterances counts utterances that ended with no audio buffered,
	// so no final was requested.
	EmptyUtterances int

	// PartialRequests counts partial decodes asked for.
	PartialRequests int
	// Partials counts partials emitted.
	Partials int
	// PartialsStale counts partial results ignored because their utterance
	// had ended or was unknown.
	PartialsStale int
	// PartialsFailed counts partials reported by OnDecodeFailed.
	PartialsFailed int
	// PartialTimeouts counts partials given up after PartialTimeout.
	PartialTimeouts int
	// PartialsDropped counts partial results the guards rejected.
	PartialsDropped DropCounts
	// PartialWait sums the time from partial request to its result, for
	// the mean partial latency.
	PartialWait time.Duration
	// PartialSamples sums the audio handed to partial decodes, in 16 kHz
	// samples: their cost, which windows keep in proportion to the speech.
	PartialSamples int64
	// PartialWordsForced counts words made stable without the agreement
	// of two partials, because they lay too far behind the audio decoded
	// (Config.PartialUnstable).
	PartialWordsForced int

	// FinalRequests counts final decodes asked for: one per utterance
	// that held audio.
	FinalRequests int
	// Speculations counts speculative final requests made during pauses
	// (Speculate); the pipeline keeps those whose forecast end came true.
	Speculations int
	// Finals counts finals emitted.
	Finals int
	// FinalsStale counts final results for no pending utterance (answered
	// twice, or already failed).
	FinalsStale int
	// FinalsFailed counts finals given up through OnDecodeFailed.
	FinalsFailed int
	// FinalsDropped counts final results the guards rejected.
	FinalsDropped DropCounts
	// FinalWait sums the time from speech end to the final's result, for
	// the mean final latency.
	FinalWait time.Duration
	// SegmentsDropped counts no-speech segments removed from results that
	// were otherwise kept.
	SegmentsDropped int

	// LateSamples counts samples pushed for positions already buffered.
	LateSamples int64
	// GapSamples counts samples of silence filled into gaps in the audio.
	GapSamples int64
	// PreRollShort counts speech starts that pointed before the oldest
	// audio kept; the utterance then starts at the oldest sample.
	PreRollShort int
}
