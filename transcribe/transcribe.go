// Package transcribe turns utterance audio into text. It holds the types
// every recogniser speaks (Options, Result, Segment, Token, Word), the Pool
// that schedules decodes onto a fixed set of workers, and, in subpackages,
// the pieces around it: engine (the only cgo code: whisper.cpp), ggmlconv
// (model conversion), vad and segment (utterance detection), wer (scoring).
//
// Everything in this package is plain Go: it builds and tests without
// libwhisper, and the pool takes a DecoderFactory so tests can swap the
// engine.
package transcribe

import (
	"context"
	"math"
	"strings"
	"time"

	"github.com/callscribe/callscribe/bridge"
)

// SampleRate is the only rate decoders accept: 16 kHz mono float32 in [-1,
// 1], the rate transports hand to the pipeline (bridge.SampleRate).
const SampleRate = bridge.SampleRate

// SamplesOf converts d to a count of SampleRate samples, rounding down.
func SamplesOf(d time.Duration) int64 {
	return int64(d) * SampleRate / int64(time.Second)
}

// PositionOf converts seconds of a track's time to its nearest sample
// position at SampleRate.
func PositionOf(sec float64) int64 {
	return int64(math.Round(sec * SampleRate))
}

// AudioCtxFull is Whisper's whole encoder window, 1500 frames of 20 ms
// (30 s): as a floor for AudioCtx it means the full context for every clip.
const AudioCtxFull = 1500

// AudioCtxAuto asks the decoder to size Whisper's encoder context to the
// clip instead of the full 30 s window: far cheaper for short utterances.
const AudioCtxAuto = -1

// AudioCtxExact sizes the encoder context to the clip with no margin: the
// cheapest encoder pass, used to measure the model's cost floor. Decodes
// on it loop more often than with AudioCtxAuto.
const AudioCtxExact = -2

// Options control one decode. The zero value is greedy decoding on one
// thread with the full encoder context and temperature fallback.
type Options struct {
	// Language is an ISO 639-1 code ("en"), "auto" to detect it, or empty
	// for the model's default (English for .en models).
	Language string
	// Prompt is text that conditions the decoder, usually the previous
	// utterance of the same speaker, so names and style carry over.
	Prompt string
	// BeamSize selects beam search with that many beams when above 1.
	BeamSize int
	// Threads is the number of CPU threads for this decode; 0 means 1.
	// One thread per worker and one worker per core is the efficient shape
	// for many streams: extra OpenMP threads mostly spin.
	Threads int
	// AudioCtx overrides the encoder context in frames of 20 ms (1500 is
	// 30 s). 0 keeps the full context; AudioCtxAuto sizes it to the clip;
	// a positive value sizes it to the clip but never below that many frames.
	AudioCtx int
	// MaxTokensPerSecond caps the tokens decoded per second of audio, a
	// guard against repetition loops; 0 picks a default, negative disables.
	MaxTokensPerSecond int
	// NoFallback disables temperature fallback (re-decoding at a higher
	// temperature when the output looks like a loop or has low log
	// probability). Cheaper, but greedy without fallback loops now and then.
	NoFallback bool
	// SingleSegment forces one segment for the whole clip, as streaming
	// partials want.
	SingleSegment bool
	// RetryLoops decodes again with the full window when a decode with a
	// reduced context (AudioCtx not 0) repeats a phrase (see
	// Result.RepeatsPhrase): worth it for finals, not for partials that
	// the next one replaces.
	RetryLoops bool
}

// Token is one decoded text token.
type Token struct {
	ID   int    `json:"id"`
	Text string `json:"text"`
	// Start and End are seconds from the start of the clip.
	Start float64 `json:"start"`
	End   float64 `json:"end"`
	// P is the token's probability.
	P float32 `json:"p"`
}

// Segment is a span of decoded text with its time in the clip.
type Segment struct {
	Start  float64 `json:"start"`
	End    float64 `json:"end"`
	Text   string  `json:"text"`
	Tokens []Token `json:"tokens,omitempty"`
	// NoSpeechProb is the model's probability that the span holds no
	// speech; high values with short text are usually hallucinations.
	NoSpeechProb float32 `json:"no_speech_prob"`
}

// Result is the outcome of one decode.
type Result struct {
	Segments []Segment `json:"segments"`
	// Language is the language decoded (detected when asked for "auto").
	Language string `json:"language,omitempty"`
	// Duration is the length of the audio in seconds.
	Duration float64 `json:"duration"`
	// Redecoded is set when a decode with a reduced encoder context looped
	// and the result comes from a second decode with the full window.
	Redecoded bool `json:"redecoded,omitempty"`
}

// Text joins the segments' text, trimmed.
func (r Result) Text() string {
	var b strings.Builder
	for _, s := range r.Segments {
		b.WriteString(s.Text)
	}
	return strings.TrimSpace(b.String())
}

// Decoder transcribes one clip at a time. Implementations are not safe for
// concurrent use: the Pool gives each worker its own Decoder.
type Decoder interface {
	// Decode transcribes 16 kHz mono samples. It returns ctx.Err() (wrapped)
	// promptly when ctx ends mid-decode.
	Decode(ctx context.Context, samples []float32, opts Options) (Result, error)
	// Close releases the decoder's resources.
	Close() error
}

// DecoderFactory makes one Decoder per pool worker. Decoders made by one
// factory typically share read-only model weights.
type DecoderFactory func() (Decoder, error)
