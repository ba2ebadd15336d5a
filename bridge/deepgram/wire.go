package deepgram

// The messages of Deepgram's v1/listen API that callscribe sends, with
// the fields the SDKs' types require. Times are seconds of stream time.

// Results carries a live transcript, interim or final.
type Results struct {
	Type string `json:"type"` // "Results"
	// ChannelIndex is [channel, channels].
	ChannelIndex []int           `json:"channel_index"`
	Duration     float64         `json:"duration"`
	Start        float64         `json:"start"`
	IsFinal      bool            `json:"is_final"`
	SpeechFinal  bool            `json:"speech_final"`
	FromFinalize bool            `json:"from_finalize"`
	Channel      Channel         `json:"channel"`
	Metadata     ResultsMetadata `json:"metadata"`
}

// Channel holds a channel's transcript; callscribe has one alternative.
type Channel struct {
	Alternatives []Alternative `json:"alternatives"`
}

// Alternative is one transcript of a span of audio.
type Alternative struct {
	Transcript string  `json:"transcript"`
	Confidence float64 `json:"confidence"`
	Words      []Word  `json:"words"`
}

// Word is one recognised word: Word lower case without punctuation,
// PunctuatedWord as written (with punctuate or smart_format).
type Word struct {
	Word           string  `json:"word"`
	Start          float64 `json:"start"`
	End            float64 `json:"end"`
	Confidence     float64 `json:"confidence"`
	PunctuatedWord string  `json:"punctuated_word,omitempty"`
}

// ResultsMetadata identifies the request and the model of a Results.
type ResultsMetadata struct {
	RequestID string    `json:"request_id"`
	ModelInfo ModelInfo `json:"model_info"`
	ModelUUID string    `json:"model_uuid"`
}

// ModelInfo describes the model that served a request. Requested and
// Served are callscribe's own: the Deepgram name asked for, and what
// answered it.
type ModelInfo struct {
	Name      string `json:"name"`
	Version   string `json:"version"`
	Arch      string `json:"arch"`
	Requested string `json:"requested,omitempty"`
	Served    string `json:"served,omitempty"`
}

// SpeechStarted tells that speech began at Timestamp.
type SpeechStarted struct {
	Type      string  `json:"type"` // "SpeechStarted"
	Channel   []int   `json:"channel"`
	Timestamp float64 `json:"timestamp"`
}

// UtteranceEnd tells that utterance_end_ms passed after the last word.
type UtteranceEnd struct {
	Type        string  `json:"type"` // "UtteranceEnd"
	Channel     []int   `json:"channel"`
	LastWordEnd float64 `json:"last_word_end"`
}

// Metadata sums up a stream after CloseStream.
type Metadata struct {
	Type           string               `json:"type"` // "Metadata"
	TransactionKey string               `json:"transaction_key"`
	RequestID      string               `json:"request_id"`
	SHA256         string               `json:"sha256"`
	Created        string               `json:"created"`
	Duration       float64              `json:"duration"`
	Channels       int                  `json:"channels"`
	Models         []string             `json:"models"`
	ModelInfo      map[string]ModelInfo `json:"model_info"`
}

// ErrorMessage answers a text message the server could not use.
type ErrorMessage struct {
	Type        string `json:"type"` // "Error"
	Variant     string `json:"variant"`
	Description string `json:"description"`
	Message     string `json:"message,omitempty"`
}

// APIError is the body of a refused HTTP request.
type APIError struct {
	ErrCode   string `json:"err_code"`
	ErrMsg    string `json:"err_msg"`
	RequestID string `json:"request_id"`
}
