package deepgram

import (
	"sort"
	"strings"

	"github.com/callscribe/callscribe/bridge/event"
)

// Response is the body of a transcribed file.
type Response struct {
	Metadata ResponseMetadata `json:"metadata"`
	Results  ResponseResults  `json:"results"`
}

// ResponseMetadata identifies a file's request.
type ResponseMetadata struct {
	TransactionKey string               `json:"transaction_key"`
	RequestID      string               `json:"request_id"`
	SHA256         string               `json:"sha256"`
	Created        string               `json:"created"`
	Duration       float64              `json:"duration"`
	Channels       int                  `json:"channels"`
	Models         []string             `json:"models"`
	ModelInfo      map[string]ModelInfo `json:"model_info"`
	Tags           []string             `json:"tags,omitempty"`
}

// ResponseResults holds a transcript per channel and, with
// utterances=true, the utterances of every channel in time order.
type ResponseResults struct {
	Channels   []ResponseChannel `json:"channels"`
	Utterances []Utterance       `json:"utterances,omitempty"`
}

// ResponseChannel is one channel's transcript.
type ResponseChannel struct {
	Alternatives     []Alternative `json:"alternatives"`
	DetectedLanguage string        `json:"detected_language,omitempty"`
}

// Utterance is one stretch of speech of one channel (a Whisper segment).
type Utterance struct {
	Start      float64 `json:"start"`
	End        float64 `json:"end"`
	Confidence float64 `json:"confidence"`
	Channel    int     `json:"channel"`
	Transcript string  `json:"transcript"`
	Words      []Word  `json:"words"`
	ID         string  `json:"id"`
}

// fileResults builds the results of a file's channels.
func fileResults(channels []FileTranscript, p Params) ResponseResults {
	var res ResponseResults
	for c, ft := range channels {
		var words []event.Word
		var texts []string
		for _, seg := range ft.Segments {
			words = append(words, seg.Words...)
			if t := strings.TrimSpace(seg.Text); t != "" {
				texts = append(texts, t)
			}
			if p.Utterances && strings.TrimSpace(seg.Text) != "" {
				alt := alternative(seg.Text, seg.Words, p.Punctuate)
				res.Utterances = append(res.Utterances, Utterance{Start: round(seg.Start), End: round(seg.End), Confidence: alt.Confidence,
					Channel: c, Transcript: alt.Transcript, Words: alt.Words, ID: newRequestID()})
			}
		}
		ch := ResponseChannel{Alternatives: []Alternative{alternative(strings.Join(texts, " "), words, p.Punctuate)}}
		if p.Language == "auto" {
			ch.DetectedLanguage = ft.Language
		}
		res.Channels = append(res.Channels, ch)
	}
	sort.SliceStable(res.Utterances, func(i, j int) bool { return res.Utterances[i].Start < res.Utterances[j].Start })
	return res
}
