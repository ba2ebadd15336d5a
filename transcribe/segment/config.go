package segment

import (
	"fmt"
	"time"

	"github.com/callscribe/callscribe/bridge/config"
	"github.com/callscribe/callscribe/transcribe"
)

// Config holds the segmentation rules. Durations are converted to samples
// at SampleRate, so they may be given in any unit. Zero fields take the
// defaults of WithDefaults.
type Config struct {
	// SampleRate is the rate of the track timeline, in samples per second.
	SampleRate int
	// Threshold is the probability at or above which a window starts (or
	// resumes) speech.
	Threshold float32
	// ReleaseThreshold is the probability below which a window stops
	// speech. It is lower than Threshold so that an utterance does not
	// flicker on and off around one value.
	ReleaseThreshold float32
	// MinSpeech is how long speech must last before it becomes an
	// utterance.
	MinSpeech time.Duration
	// MinSilence is how long speech must stay off to end an utterance.
	MinSilence time.Duration
	// SpeechPad is the audio kept before the first and after the last
	// speech window of an utterance. At most half of MinSilence, so that
	// two utterances' pads never meet; negative keeps none.
	SpeechPad time.Duration
	// LeadPad, when not zero, is the audio kept before an utterance's
	// first speech window instead of SpeechPad: Silero scores the onsets
	// of telephone speech late, by up to a quarter of a second, and a first
	// word cut at its onset is lost, while the padding after speech must
	// stay short for the end to come soon. The previous utterance's end
	// bounds it, so it may exceed MinSilence/2. Negative keeps none.
	LeadPad time.Duration
	// MaxUtterance is the longest utterance; a longer one is split.
	MaxUtterance time.Duration
	// SplitSearch is how far back from the MaxUtterance point the split
	// looks for the quietest window. Less than MaxUtterance - MinSpeech.
	SplitSearch time.Duration
}

// WithDefaults returns c with every zero field set to its default, the
// settings for 16 kHz telephone speech that the two-track call test tuned:
// thresholds 0.5/0.35, 250 ms minimum speech, 700 ms end-of-utterance
// silence (a speaker's pause for effect stays inside one utterance, where
// Whisper decodes it with its context), 300 ms padding, or half the silence if that is less (the VAD scores
// speech onsets late on telephone audio; the pad gives Whisper the first
// word's onset), and utterances split at 15 s at the quietest point of the
// last 3 s. With 200/600 ms the agent track's WER was 0.137.
func (c Config) WithDefaults() Config {
	config.Default(&c.SampleRate, transcribe.SampleRate)
	config.Default(&c.Threshold, 0.5)
	config.Default(&c.ReleaseThreshold, 0.35)
	config.Default(&c.MinSpeech, 250*time.Millisecond)
	config.Default(&c.MinSilence, 700*time.Millisecond)
	// The pad may take at most half the silence: two utterances' pads
	// never meet.
	config.Default(&c.SpeechPad, min(300*time.Millisecond, c.MinSilence/2))
	config.Default(&c.MaxUtterance, 15*time.Second)
	config.Default(&c.SplitSearch, 3*time.Second)
	return c
}

// Validate reports the first rule the configuration breaks once defaults
// are applied, wrapping ErrBadConfig.
func (c Config) Validate() error {
	c = c.WithDefaults()
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrBadConfig, fmt.Sprintf(format, args...))
	}
	switch {
	case c.SampleRate <= 0:
		return bad("SampleRate %d must be positive", c.SampleRate)
	case !(c.Threshold > 0 && c.Threshold <= 1):
		return bad("Threshold %v must be in (0, 1]", c.Threshold)
	case !(c.ReleaseThreshold > 0 && c.ReleaseThreshold <= c.Threshold):
		return bad("ReleaseThreshold %v must be in (0, Threshold %v]", c.ReleaseThreshold, c.Threshold)
	case c.MinSpeech < 0:
		return bad("MinSpeech %v must not be negative", c.MinSpeech)
	case c.MinSilence <= 0:
		return bad("MinSilence %v must be positive", c.MinSilence)
	case c.LeadPad > time.Second:
		return bad("LeadPad %v must be at most 1s", c.LeadPad)
	case 2*c.SpeechPad > c.MinSilence:
		return bad("SpeechPad %v must be at most MinSilence/2 = %v", c.SpeechPad, c.MinSilence/2)
	case c.SplitSearch <= 0:
		return bad("SplitSearch %v must be positive", c.SplitSearch)
	case c.MaxUtterance <= c.SplitSearch+c.MinSpeech:
		return bad("MaxUtterance %v must exceed SplitSearch + MinSpeech = %v", c.MaxUtterance, c.SplitSearch+c.MinSpeech)
	}
	return nil
}

// samples converts a duration to samples at the configured rate, rounding
// to the nearest sample.
func (c Config) samples(d time.Duration) int64 {
	return (int64(d)*int64(c.SampleRate) + int64(time.Second)/2) / int64(time.Second)
}
