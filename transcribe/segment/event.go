package segment

// Event is a SpeechStart or a SpeechEnd. Positions are sample indices on the
// track timeline given to Push.
type Event interface {
	isEvent()
}

// SpeechStart reports that an utterance begins at sample At (padding
// included). It is emitted once the speech has lasted MinSpeech, so At lies
// in audio already pushed.
type SpeechStart struct {
	At int64
}

// SpeechEnd reports a finished utterance spanning samples [Start, End),
// padding included; Start equals the preceding SpeechStart's At.
type SpeechEnd struct {
	Start, End int64
	// Forced is true when the MaxUtterance rule cut the utterance rather
	// than MinSilence of silence ending it; the next utterance then starts
	// at End with no gap.
	Forced bool
}

func (SpeechStart) isEvent() {}
func (SpeechEnd) isEvent()   {}

// Window is one scored stretch of audio as the Segmenter sees it.
type Window struct {
	// Start is the position of the window's first sample on the track.
	Start int64
	// Samples is the window's length.
	Samples int
	// Prob is the detector's speech probability for the window.
	Prob float32
	// Energy is the window's mean square amplitude (see Energy); the
	// quietest window is where a long utterance is split.
	Energy float32
}

// End returns the position just past the window's last sample.
func (w Window) End() int64 { return w.Start + int64(w.Samples) }

// Energy returns the mean square of samples, the loudness measure that
// Window.Energy expects, or 0 for no samples.
func Energy(samples []float32) float32 {
	if len(samples) == 0 {
		return 0
	}
	var sum float64
	for _, s := range samples {
		sum += float64(s) * float64(s)
	}
	return float32(sum / float64(len(samples)))
}
