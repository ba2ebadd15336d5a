package transcribe

import "strings"

// Word is a whole word assembled from one or more tokens.
type Word struct {
	Word  string  `json:"word"`
	Start float64 `json:"start"`
	End   float64 `json:"end"`
	// Confidence is the lowest probability among the word's tokens: one
	// unsure piece makes the whole word unsure.
	Confidence float64 `json:"confidence"`
}

// Words groups a segment's tokens into words. Whisper's byte-level BPE
// marks a new word with a leading space; tokens without one continue the
// previous word. Punctuation-only tokens attach to the word before them.
func (s Segment) Words() []Word {
	var words []Word
	for _, t := range s.Tokens {
		text := t.Text
		if text == "" {
			continue
		}
		startsWord := strings.HasPrefix(text, " ") || len(words) == 0
		trimmed := strings.TrimSpace(text)
		if trimmed == "" {
			continue
		}
		if startsWord && !(isPunctuation(trimmed) && len(words) > 0) {
			words = append(words, Word{Word: trimmed, Start: t.Start, End: t.End, Confidence: float64(t.P)})
			continue
		}
		w := &words[len(words)-1]
		w.Word += trimmed
		if t.End > w.End {
			w.End = t.End
		}
		if p := float64(t.P); p < w.Confidence {
			w.Confidence = p
		}
	}
	return words
}

// Words returns the words of every segment in order.
func (r Result) Words() []Word {
	var all []Word
	for _, s := range r.Segments {
		all = append(all, s.Words()...)
	}
	return all
}

func isPunctuation(s string) bool {
	for _, r := range s {
		if !strings.ContainsRune(".,!?;:'\"-…", r) {
			return false
		}
	}
	return true
}
