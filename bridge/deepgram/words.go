package deepgram

import (
	"strings"
	"unicode"

	"github.com/callscribe/callscribe/bridge/event"
)

// plainWord is Deepgram's "word": lower case, without the punctuation
// around it (an apostrophe or hyphen inside stays).
func plainWord(w string) string {
	return strings.ToLower(strings.TrimFunc(w, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r)
	}))
}

// alternative turns callscribe's words and text into Deepgram's
// alternative. With punctuate the transcript is Whisper's text; without,
// the plain words. The confidence is the words' mean.
func alternative(text string, words []event.Word, punctuate bool) Alternative {
	alt := Alternative{Words: make([]Word, 0, len(words))}
	plain := make([]string, 0, len(words))
	var sum float64
	for _, w := range words {
		pw := strings.TrimSpace(w.Word)
		dw := Word{Word: plainWord(pw), Start: round(w.Start), End: round(w.End), Confidence: round(w.Confidence)}
		if dw.Word == "" {
			continue // a lone punctuation mark
		}
		if punctuate {
			dw.PunctuatedWord = pw
		}
		alt.Words = append(alt.Words, dw)
		plain = append(plain, dw.Word)
		sum += w.Confidence
	}
	if n := len(alt.Words); n > 0 {
		alt.Confidence = round(sum / float64(n))
	}
	alt.Transcript = strings.Join(plain, " ")
	if punctuate {
		alt.Transcript = strings.TrimSpace(text)
	}
	return alt
}

// round keeps times and confidences to the millisecond, as Deepgram's are.
func round(x float64) float64 {
	if x < 0 {
		return -round(-x)
	}
	return float64(int64(x*1000+0.5)) / 1000
}
