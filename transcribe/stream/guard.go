package stream

import (
	"math"
	"slices"
	"time"

	"github.com/callscribe/callscribe/transcribe"
)

// Candidate is a decode result to judge, with what the guards need to know
// about its audio and the track.
type Candidate struct {
	Result transcribe.Result
	// Audio is the length of the decoded audio.
	Audio time.Duration
	// Start is the utterance's start in seconds of call time.
	Start float64
	// Previous is the track's previous accepted final, or nil.
	Previous *PreviousFinal
}

// PreviousFinal is the part of an accepted final that the repeat guard
// compares against.
type PreviousFinal struct {
	Text string
	// End is the final's end in seconds of call time.
	End float64
}

// Judge removes the no-speech segments from c.Result and judges the text
// left. It returns the kept result, Keep or the reason to drop it, and the
// number of segments removed.
func (g GuardConfig) Judge(c Candidate) (transcribe.Result, DropReason, int) {
	kept := c.Result
	kept.Segments = slices.DeleteFunc(slices.Clone(c.Result.Segments), g.IsNoSpeech)
	removed := len(c.Result.Segments) - len(kept.Segments)
	text := kept.Text()
	norm := Normalize(text)
	switch {
	case norm == "" && removed > 0:
		return kept, DropNoSpeech, removed
	case norm == "":
		return kept, DropEmpty, removed
	case g.IsLoop(text):
		return kept, DropLoop, removed
	case IsAnnotation(text):
		return kept, DropAnnotation, removed
	}
	prob, hasProb := MeanTokenProb(kept)
	if g.IsSilencePhrase(norm, c.Audio, prob, hasProb) {
		return kept, DropSilencePhrase, removed
	}
	if g.IsRepeat(norm, c.Audio, c.Start, c.Previous) {
		return kept, DropRepeat, removed
	}
	return kept, Keep, removed
}

// IsNoSpeech reports whether seg is silence the model transcribed anyway:
// its no-speech probability above NoSpeechProb and its mean token log
// probability below MinAvgLogProb. A segment without tokens is judged on
// no-speech probability alone.
func (g GuardConfig) IsNoSpeech(seg transcribe.Segment) bool {
	// Compared in float32, the model's precision, so that a threshold of
	// 0.6 means the model's 0.6 too.
	if seg.NoSpeechProb <= float32(g.NoSpeechProb) {
		return false
	}
	lp, ok := AvgLogProb(seg)
	return !ok || lp < g.MinAvgLogProb
}

// AvgLogProb is the mean natural log of seg's token probabilities, or
// false when seg has no tokens. It stands in for Whisper's avg_logprob;
// -1.0 is a geometric mean probability of about 0.37.
func AvgLogProb(seg transcribe.Segment) (float64, bool) {
	if len(seg.Tokens) == 0 {
		return 0, false
	}
	var sum float64
	for _, t := range seg.Tokens {
		// A zero probability would make the mean -Inf; floor it instead.
		sum += math.Log(max(float64(t.P), 1e-6))
	}
	return sum / float64(len(seg.Tokens)), true
}

// MeanTokenProb is the mean probability of res's tokens, or false when it
// has none.
func MeanTokenProb(res transcribe.Result) (float64, bool) {
	var sum float64
	n := 0
	for _, s := range res.Segments {
		for _, t := range s.Tokens {
			sum += float64(t.P)
			n++
		}
	}
	if n == 0 {
		return 0, false
	}
	return sum / float64(n), true
}

// IsLoop reports whether text compresses better than MaxCompressionRatio.
func (g GuardConfig) IsLoop(text string) bool {
	return CompressionRatio(text) > g.MaxCompressionRatio
}

// IsSilencePhrase reports whether the normalised text norm is one of
// SilencePhrases and either the audio is shorter than SilencePhraseMaxAudio
// or the mean token probability (when known) is below SilencePhraseMinProb.
func (g GuardConfig) IsSilencePhrase(norm string, audio time.Duration, prob float64, hasProb bool) bool {
	if !slices.ContainsFunc(g.SilencePhrases, func(p string) bool { return Normalize(p) == norm }) {
		return false
	}
	return audio < g.SilencePhraseMaxAudio || (hasProb && prob < g.SilencePhraseMinProb)
}

// IsRepeat reports whether the normalised text norm, decoded from audio
// starting at start (call seconds), echoes prev: equal to or contained in
// it, within RepeatWindow of its end, from less than RepeatMaxAudio, and at
// least RepeatMinWords long.
func (g GuardConfig) IsRepeat(norm string, audio time.Duration, start float64, prev *PreviousFinal) bool {
	if prev == nil || audio >= g.RepeatMaxAudio || wordCount(norm) < g.RepeatMinWords {
		return false
	}
	if start-prev.End > g.RepeatWindow.Seconds() {
		return false
	}
	return containsWords(Normalize(prev.Text), norm)
}
