package stream

import (
	"fmt"
	"time"

	"github.com/callscribe/callscribe/bridge/config"
)

// GuardConfig holds the thresholds of the hallucination guards. Whisper,
// given noise, breath or silence, tends to invent text rather than return
// none; each guard catches one of its habits.
type GuardConfig struct {
	// NoSpeechProb and MinAvgLogProb drop a segment whose no-speech
	// probability is above NoSpeechProb while its mean token log
	// probability is below MinAvgLogProb. Either signal alone is noisy
	// (quiet speech raises the first, names lower the second); together
	// they mark a segment the model did not hear. 0.6 and -1.0 are the
	// values Whisper's own transcribe loop uses to skip silent windows.
	NoSpeechProb  float64
	MinAvgLogProb float64
	// MaxCompressionRatio drops text that deflates better than this: a
	// repetition loop ("no no no no ...") compresses far better than
	// speech. 2.4 is Whisper's own threshold for re-decoding a window.
	MaxCompressionRatio float64
	// SilencePhrases are texts Whisper produces from silence, learned
	// from subtitled video ("Thank you.", "Thanks for watching!"). They are
	// compared after normalisation, so case and punctuation do not matter.
	SilencePhrases []string
	// SilencePhraseMaxAudio and SilencePhraseMinProb decide when a silence
	// phrase is dropped: when the audio is shorter than the first, or the
	// mean token probability is below the second. Callers do say "thank
	// you", so a phrase that is long enough and confidently heard is kept.
	// 0.8 s is the segmenter's two 200 ms pads plus the 400 ms a brisk
	// "thank you" takes: shorter audio can hardly hold the spoken phrase.
	SilencePhraseMaxAudio time.Duration
	SilencePhraseMinProb  float64
	// RepeatWindow, RepeatMaxAudio and RepeatMinWords drop a final whose
	// text equals, or is contained in, the previous final of the track when
	// it starts within RepeatWindow of that final's end, its audio is
	// shorter than RepeatMaxAudio and it has at least RepeatMinWords words.
	// The prompt (the previous final) is what Whisper echoes when the new
	// audio holds little speech. The word minimum keeps short genuine
	// repeats: a caller answering "Yes." to two questions in a row.
	RepeatWindow   time.Duration
	RepeatMaxAudio time.Duration
	RepeatMinWords int
}

// WithDefaults returns g with every zero field set to the value explained
// on GuardConfig: 0.6 and -1.0 for no-speech, 2.4 for compression, silence
// phrases (DefaultSilencePhrases; an empty non-nil list checks none) dropped
// under 0.8 s of audio or 0.5 mean token probability, and repeats of three
// or more words from under 2 s of audio within 10 s of the previous final.
func (g GuardConfig) WithDefaults() GuardConfig {
	config.Default(&g.NoSpeechProb, 0.6)
	config.Default(&g.MinAvgLogProb, -1.0)
	config.Default(&g.MaxCompressionRatio, 2.4)
	config.Default(&g.SilencePhraseMinProb, 0.5)
	config.Default(&g.SilencePhraseMaxAudio, 800*time.Millisecond)
	config.Default(&g.RepeatWindow, 10*time.Second)
	config.Default(&g.RepeatMaxAudio, 2*time.Second)
	if g.SilencePhrases == nil {
		g.SilencePhrases = DefaultSilencePhrases()
	}
	config.Default(&g.RepeatMinWords, 3)
	return g
}

// DefaultSilencePhrases returns the texts Whisper is known to produce from
// silence or noise, as it writes them. Short words that callers say all the
// time on their own ("Okay.", "Yes.") are left out on purpose: dropping a
// real answer costs more than showing an invented one.
func DefaultSilencePhrases() []string {
	return []string{
		"Thank you.", "Thank you very much.",
		"Thanks for watching!", "Thank you for watching.", "Thanks for listening.",
		"Please subscribe.", "Like and subscribe.", "Subscribe to my channel.",
		"you", "Bye-bye.",
		"[BLANK_AUDIO]", "[silence]", "(music)", "(applause)", "(laughs)",
		"Subtitles by the Amara.org community",
	}
}

// Validate reports the first threshold out of range once defaults are
// applied, wrapping ErrBadConfig.
func (g GuardConfig) Validate() error {
	g = g.WithDefaults()
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: Guard.%s", ErrBadConfig, fmt.Sprintf(format, args...))
	}
	switch {
	case !(g.NoSpeechProb > 0 && g.NoSpeechProb <= 1):
		return bad("NoSpeechProb %v must be in (0, 1]", g.NoSpeechProb)
	case g.MinAvgLogProb > 0:
		return bad("MinAvgLogProb %v must not be positive", g.MinAvgLogProb)
	case g.MaxCompressionRatio <= 1:
		return bad("MaxCompressionRatio %v must exceed 1", g.MaxCompressionRatio)
	case g.SilencePhraseMaxAudio < 0:
		return bad("SilencePhraseMaxAudio %v must not be negative", g.SilencePhraseMaxAudio)
	case !(g.SilencePhraseMinProb >= 0 && g.SilencePhraseMinProb <= 1):
		return bad("SilencePhraseMinProb %v must be in [0, 1]", g.SilencePhraseMinProb)
	case g.RepeatWindow < 0 || g.RepeatMaxAudio < 0:
		return bad("RepeatWindow %v and RepeatMaxAudio %v must not be negative", g.RepeatWindow, g.RepeatMaxAudio)
	case g.RepeatMinWords < 1:
		return bad("RepeatMinWords %d must be at least 1", g.RepeatMinWords)
	}
	return nil
}
