package stream

import (
	"fmt"
	"time"

	"github.com/callscribe/callscribe/bridge/config"
	"github.com/callscribe/callscribe/transcribe"
)

// Config sets the streaming policy of one track. Zero fields take the
// defaults listed with them (see WithDefaults): telephone speech, partials
// every 0.8 s of new speech, 30 s utterances, 2 s of pre-roll, finals with
// beam 5, an encoder context sized to the utterance but at least 512
// frames (10.24 s), and the previous final's last 200 characters as prompt.
type Config struct {
	// Track names the track ("inbound", "ch0"); it prefixes utterance IDs.
	// Required.
	Track string
	// Language is passed to every decode (see transcribe.Options).
	Language string
	// Threads is passed to every decode; 0 means one thread.
	Threads int
	// PartialInterval is the amount of new speech between two partial
	// decodes, 0.5 s to 1 s: shorter floods the pool, longer makes the
	// live view lag behind the speaker. Default 800 ms. An utterance's
	// first partial always comes after this much audio; SetPartialInterval
	// stretches the interval between the later ones when the pool is
	// loaded.
	PartialInterval time.Duration
	// PartialContext is the stable audio a partial decodes again before
	// the words not yet stable: the decoder hears the last stable words
	// (and has the earlier ones as its prompt), and their agreement places
	// the new words. A partial decodes a window, not the whole utterance,
	// so its cost does not grow with the utterance. Default 1 s.
	PartialContext time.Duration
	// PartialUnstable bounds how far behind the audio decoded the
	// unstable words may reach: words starting earlier become stable as
	// the latest partial spells them, even without the agreement of two.
	// With PartialContext and the interval it bounds a partial's window,
	// and so its cost, whatever the model does. Default 4 s.
	PartialUnstable time.Duration
	// PartialTimeout is how long a partial may stay in flight: the
	// pipeline abandons its decode then, and the policy stops waiting for
	// it, so a decode stuck behind finals cannot stall the live view of the
	// rest of the utterance. Default 3 s.
	PartialTimeout time.Duration
	// MaxUtterance bounds the audio kept for one utterance. The segmenter
	// normally splits well before it; past it the policy splits by itself.
	// Default 30 s.
	MaxUtterance time.Duration
	// PreRoll is the audio kept while nobody speaks. A SpeechStart points
	// back in time (by the segmenter's MinSpeech and padding, and by its
	// split search after a forced split), so this must cover that look-back.
	// Default 2 s.
	PreRoll time.Duration
	// FinalBeamSize is the beam width of final decodes; 1 means greedy.
	// Default 5.
	FinalBeamSize int
	// FinalAudioCtx is the encoder context of final decodes, as
	// transcribe.Options.AudioCtx takes it: transcribe.AudioCtxFull for
	// the full window, transcribe.AudioCtxAuto to size it to the clip, or
	// a floor in frames. Default 512.
	FinalAudioCtx int
	// PromptChars bounds the text given as Prompt with a decode, keeping
	// its end: the stable words before a partial's window and, with
	// PromptFinals, the previous final's text; negative gives none.
	// Default 200.
	PromptChars int
	// PromptFinals gives each final decode the previous utterance's final
	// text as prompt. Off by default: on telephone speech tiny.en then
	// skips the utterance's first words now and then ("I can see your
	// account here." lost before "Your last payment...") and loops more
	// on a sized encoder window. Without it the load bench's WER at 8
	// calls fell from 4.5% to 3.5% and the p95 final latency from 1.25 to
	// 0.98 s, on the same binary and calls.
	PromptFinals bool
	// Vocabulary primes every decode, partials included: names and terms
	// the speaker is expected to use (Deepgram's keyterms), put before the
	// previous final's text in the prompt. Empty adds nothing.
	Vocabulary string
	// Guard holds the hallucination guards' thresholds.
	Guard GuardConfig
}

// WithDefaults returns c with every zero field set to its default.
func (c Config) WithDefaults() Config {
	config.Default(&c.PartialInterval, 800*time.Millisecond)
	config.Default(&c.PartialContext, time.Second)
	config.Default(&c.PartialUnstable, 4*time.Second)
	config.Default(&c.PartialTimeout, 3*time.Second)
	config.Default(&c.MaxUtterance, 30*time.Second)
	config.Default(&c.PreRoll, 2*time.Second)
	config.Default(&c.FinalBeamSize, 5)
	config.Default(&c.FinalAudioCtx, 512)
	config.Default(&c.PromptChars, 200)
	c.Guard = c.Guard.WithDefaults()
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
	case c.Track == "":
		return bad("Track must not be empty")
	case c.Threads < 0:
		return bad("Threads %d must not be negative", c.Threads)
	case c.PartialInterval < 500*time.Millisecond || c.PartialInterval > time.Second:
		return bad("PartialInterval %v must be in [500ms, 1s]", c.PartialInterval)
	case c.PartialContext < 0 || c.PartialUnstable < c.PartialInterval:
		return bad("PartialContext %v must not be negative and PartialUnstable %v must be at least PartialInterval %v", c.PartialContext, c.PartialUnstable, c.PartialInterval)
	case c.PartialTimeout < c.PartialInterval:
		return bad("PartialTimeout %v must be at least PartialInterval %v", c.PartialTimeout, c.PartialInterval)
	case c.MaxUtterance < time.Second || c.MaxUtterance > 30*time.Second:
		// Whisper sees at most 30 s at once; longer audio would be cut.
		return bad("MaxUtterance %v must be in [1s, 30s]", c.MaxUtterance)
	case c.PreRoll < 500*time.Millisecond:
		return bad("PreRoll %v must be at least 500ms", c.PreRoll)
	case c.FinalBeamSize < 1:
		return bad("FinalBeamSize %d must be at least 1", c.FinalBeamSize)
	case c.FinalAudioCtx < 0 && c.FinalAudioCtx != transcribe.AudioCtxAuto && c.FinalAudioCtx != transcribe.AudioCtxExact:
		return bad("FinalAudioCtx %d must be positive, AudioCtxAuto or AudioCtxExact", c.FinalAudioCtx)
	}
	return c.Guard.Validate()
}

// seconds converts a track position in samples to seconds of call time.
func seconds(pos int64) float64 {
	return float64(pos) / transcribe.SampleRate
}
