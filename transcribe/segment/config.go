package segment

import (
	"fmt"
	"time"
)

// Config holds the segmentation rules. Durations are converted to samples
// at SampleRate, so they may be given in any unit.
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
	// two utterances' pads never meet.
	SpeechPad time.Duration
	// MaxUtterance is the longest utterance; a longer one is split.
	MaxUtterance time.Duration
	// SplitSearch is how far back from the MaxUtterance point the split
	// looks for the quietest window. Less than MaxUtterance - MinSpeech.
	SplitSearch time.Duration
}

// DefaultConfig returns settings for 16 kHz telephone speech: thresholds
// 0.5/0.35, 250 ms minimum speech, 600 ms end-of-utterance silence, 200 ms
// padding, and utterances split at 15 s at the quietest point of the last 3 s.
func DefaultConfig() Config {
	return Config{
		SampleRate:       16000,
		Threshold:        0.5,
		ReleaseThreshold: 0.35,
		MinSpeech:        250 * time.Millisecond,
		MinSilence:       600 * time.Millisecond,
		SpeechPad:        200 * time.Millisecond,
		MaxUtterance:     15 * time.Second,
		SplitSearch:      3 * time.Second,
	}
}

// Validate reports the first rule the configuration breaks, wrapping
// ErrInvalidConfig.
func (c Config) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrInvalidConfig, fmt.Sprintf(format, args...))
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
	case c.SpeechPad < 0 || 2*c.SpeechPad > c.MinSilence:
		return bad("SpeechPad %v must be in [0, MinSilence/2 = %v]", c.SpeechPad, c.MinSilence/2)
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
