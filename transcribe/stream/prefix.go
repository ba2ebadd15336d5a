package stream

import (
	"strings"
	"unicode"
)

// LostPrefix reports whether a final seems to have lost the start of its
// utterance: the partials showed at least four words, and the first two of
// them, as a pair, are not among the final's first four words. Whisper's
// tiny models, decoding greedily under load, now and then skip an
// utterance's first words ("Produced the block books, which were the
// immediate predecessors..." came out "You're the immediate
// predecessors..." while the partials had them right); a final that did is
// worth one more decode. Words compare in lower case without punctuation.
func LostPrefix(shown, final string) bool {
	s := textWords(shown)
	if len(s) < 4 {
		return false
	}
	f := textWords(final)
	for i := 0; i+1 < min(len(f), 4); i++ {
		if f[i] == s[0] && f[i+1] == s[1] {
			return false
		}
	}
	return true
}

// textWords splits text into lower-case words of letters, digits and
// apostrophes.
func textWords(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\''
	})
}
