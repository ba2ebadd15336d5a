package stream

import (
	"strings"

	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/transcribe"
)

// hypothesis is one decode's words in call time.
type hypothesis struct {
	words []event.Word
	// timed is false when the result had no tokens and the words were
	// split from its text: their times are then only the decoded span.
	timed bool
}

// CallWords converts res's words from seconds of the clip to seconds of
// call time, the clip having started at offset, and clamps each word into
// [lo, hi]: token times can overshoot the audio by a frame, and a word
// outside its utterance would confuse any consumer that sorts by time.
func CallWords(res transcribe.Result, offset, lo, hi float64) []event.Word {
	clip := res.Words()
	if len(clip) == 0 {
		return nil
	}
	words := make([]event.Word, len(clip))
	for i, w := range clip {
		start := clamp(offset+w.Start, lo, hi)
		words[i] = event.Word{
			Word:       w.Word,
			Start:      start,
			End:        clamp(offset+w.End, start, hi),
			Confidence: w.Confidence,
		}
	}
	return words
}

// hypothesisOf reads res as a hypothesis over [lo, hi], falling back to
// the text's words when res carries no tokens.
func hypothesisOf(res transcribe.Result, lo, hi float64) hypothesis {
	if words := CallWords(res, lo, lo, hi); len(words) > 0 {
		return hypothesis{words: words, timed: true}
	}
	var h hypothesis
	for _, f := range strings.Fields(res.Text()) {
		h.words = append(h.words, event.Word{Word: f, Start: lo, End: hi})
	}
	return h
}

// meanConfidence is the mean of the words' confidence, 0 for none.
func meanConfidence(words []event.Word) float64 {
	if len(words) == 0 {
		return 0
	}
	var sum float64
	for _, w := range words {
		sum += w.Confidence
	}
	return sum / float64(len(words))
}

// joinWords renders words as text separated by single spaces.
func joinWords(words []event.Word) string {
	parts := make([]string, len(words))
	for i, w := range words {
		parts[i] = w.Word
	}
	return strings.Join(parts, " ")
}

func clamp(v, lo, hi float64) float64 {
	return max(lo, min(v, hi))
}
