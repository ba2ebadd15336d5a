package stream

import (
	"bytes"
	"compress/zlib"
	"strings"
	"sync"
	"unicode"
)

// Normalize reduces text to what the guards and the stabiliser compare:
// lower case letters and digits, words separated by single spaces.
// Apostrophes vanish ("don't" becomes "dont") so that a word keeps one
// form; every other mark separates words.
func Normalize(text string) string {
	var b strings.Builder
	space := false
	for _, r := range text {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
		case r == '\'' || r == '’':
		default:
			space = true
		}
	}
	return b.String()
}

// CompressionRatio is the length of text in bytes divided by the length of
// its zlib stream at the default level, as Whisper measures it; 0 for empty
// text. Speech stays well under 2; loops that repeat a phrase climb past it
// because deflate stores each repeat as one back-reference.
func CompressionRatio(text string) float64 {
	if text == "" {
		return 0
	}
	var buf bytes.Buffer
	w := zlibWriters.Get().(*zlib.Writer)
	defer zlibWriters.Put(w)
	w.Reset(&buf)
	// Writes to a bytes.Buffer cannot fail.
	_, _ = w.Write([]byte(text))
	_ = w.Close()
	return float64(len(text)) / float64(buf.Len())
}

// zlibWriters recycles compressors: each holds about a megabyte of tables,
// too much to allocate for every partial of every call.
var zlibWriters = sync.Pool{New: func() any { return zlib.NewWriter(nil) }}

// IsAnnotation reports whether text is only sound annotations, such as
// "[BLANK_AUDIO]", "(music)", "*laughs*" or "♪ la la ♪": words inside
// brackets, parentheses, asterisks or note signs, none outside.
func IsAnnotation(text string) bool {
	depth := 0                 // inside [] or ()
	star, note := false, false // inside *...* or ♪...♪
	inside := false
	for _, r := range text {
		switch r {
		case '[', '(':
			depth++
		case ']', ')':
			if depth > 0 {
				depth--
			}
		case '*':
			star = !star
		case '♪', '♫':
			note = !note
		default:
			if !(unicode.IsLetter(r) || unicode.IsDigit(r)) {
				continue
			}
			if depth == 0 && !star && !note {
				return false
			}
			inside = true
		}
	}
	return inside
}

// EndsSentence reports whether text reads as a finished sentence: it ends
// with a full stop, a question or an exclamation mark (closing quotes
// aside), and not with an ellipsis, Whisper's mark of a speaker trailing
// off mid-sentence.
func EndsSentence(text string) bool {
	text = strings.TrimRight(strings.TrimSpace(text), `"')]”’`)
	switch {
	case strings.HasSuffix(text, "..."), strings.HasSuffix(text, "…"):
		return false
	case strings.HasSuffix(text, "."), strings.HasSuffix(text, "?"), strings.HasSuffix(text, "!"):
		// A lone mark is no sentence.
		return strings.ContainsFunc(text, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) })
	}
	return false
}

// wordCount counts the words of normalised text.
func wordCount(norm string) int {
	return len(strings.Fields(norm))
}

// containsWords reports whether the normalised text part occurs in whole,
// as a run of whole words, in the normalised text whole.
func containsWords(whole, part string) bool {
	return part != "" && strings.Contains(" "+whole+" ", " "+part+" ")
}
