package stream

import "errors"

var (
	// ErrBadConfig is returned, wrapped with the offending field, by
	// Config.Validate and NewUtterancePolicy.
	ErrBadConfig = errors.New("stream: invalid config")
	// ErrAlreadySpeaking reports a SpeechStart while an utterance is still
	// open: the segmenter must end one utterance before starting the next.
	// The policy's state is unchanged.
	ErrAlreadySpeaking = errors.New("stream: speech start while an utterance is open")
	// ErrNotSpeaking reports a SpeechEnd with no open utterance, for
	// example one that arrives after Flush already ended it. Nothing is
	// decoded twice: the session may log it and carry on.
	ErrNotSpeaking = errors.New("stream: speech end without an open utterance")
	// ErrOutOfOrder reports a boundary that goes back in track time: a
	// SpeechStart before the previous utterance's end, or a SpeechEnd whose
	// end lies before its start.
	ErrOutOfOrder = errors.New("stream: boundary out of order")
)
