package stream

import "github.com/callscribe/callscribe/transcribe"

// DecodeRequest asks the session to decode one span of an utterance.
type DecodeRequest struct {
	// Kind is transcribe.Partial for a live preview or transcribe.Final for
	// the utterance's one final decode; the pool schedules by it.
	Kind        transcribe.DecodeKind
	UtteranceID string
	// Samples are the utterance's 16 kHz audio from its start to End. They
	// share memory with the policy's buffer, which never writes to audio
	// it has handed out: read them, never modify them.
	Samples []float32
	// Start and End are the span of Samples in seconds of call time. A
	// partial's span is its window: the end of the utterance so far.
	Start, End float64
	Options    transcribe.Options
	// First marks an utterance's first partial (transcribe.Job.First).
	First bool
	// Shown, on a final, is the text of the utterance's last partial: what
	// its listeners saw, for LostPrefix to check the final against.
	Shown string
	// partial numbers an utterance's partial requests from 1, so that the
	// answer to one given up (PartialTimeout) is told from the latest.
	partial int
}

// Job turns r into a pool job. key names the track across the service
// (call and track), so that a newer partial replaces a waiting one.
func (r DecodeRequest) Job(key string) transcribe.Job {
	return transcribe.Job{Samples: r.Samples, Options: r.Options, Kind: r.Kind, Key: key, First: r.First}
}

// partialOptions are cheap: greedy, no fallback, one segment, and an
// encoder context sized to the clip. A partial is replaced within a second,
// so speed matters more than the last word being right. prompt is the
// stable text before the partial's window.
func (c Config) partialOptions(prompt string) transcribe.Options {
	return transcribe.Options{
		Language:      c.Language,
		Threads:       c.Threads,
		BeamSize:      1,
		AudioCtx:      transcribe.AudioCtxAuto,
		SingleSegment: true,
		NoFallback:    true,
		Prompt:        withVocabulary(c.Vocabulary, prompt),
	}
}

// finalOptions are the best the configuration allows: beam search,
// temperature fallback, and the previous final as prompt so that names and
// spelling carry over from one utterance to the next.
func (c Config) finalOptions(prompt string) transcribe.Options {
	return transcribe.Options{
		Language:   c.Language,
		Threads:    c.Threads,
		BeamSize:   c.FinalBeamSize,
		AudioCtx:   c.FinalAudioCtx,
		Prompt:     withVocabulary(c.Vocabulary, prompt),
		RetryLoops: true,
	}
}

// withVocabulary puts the track's vocabulary before the previous final's
// text: Whisper reads a prompt as what was said before, so both steer
// spelling.
func withVocabulary(vocabulary, prompt string) string {
	switch {
	case vocabulary == "":
		return prompt
	case prompt == "":
		return vocabulary
	}
	return vocabulary + " " + prompt
}
