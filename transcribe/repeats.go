package transcribe

import (
	"strings"
	"unicode"
)

// minRepeatWords is the shortest segment DropRepeatedSegments removes: people
// do say "hello? hello?", but a decoder that repeats a whole clause is
// looping, a known Whisper failure on short clips and reduced contexts.
const minRepeatWords = 3

// DropRepeatedSegments removes segments whose words (case and punctuation
// aside) repeat the segment just before them, when they have at least three
// words. It returns how many it removed.
func (r *Result) DropRepeatedSegments() int {
	if len(r.Segments) < 2 {
		return 0
	}
	kept := r.Segments[:1]
	prev := segmentKey(r.Segments[0].Text)
	removed := 0
	for _, s := range r.Segments[1:] {
		key := segmentKey(s.Text)
		if key == prev && len(strings.Fields(key)) >= minRepeatWords {
			removed++
			continue
		}
		kept = append(kept, s)
		prev = key
	}
	r.Segments = kept
	return removed
}

// segmentKey lower-cases text and keeps only letters, digits and single
// spaces, so "Has never been surpassed." equals " has never been surpassed".
func segmentKey(text string) string {
	var b strings.Builder
	space := false
	for _, c := range strings.ToLower(text) {
		switch {
		case unicode.IsLetter(c) || unicode.IsDigit(c) || c == '\'':
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(c)
		default:
			space = true
		}
	}
	return b.String()
}

// minTailRepeatWords is the shortest earlier phrase whose repetition at the
// very end of a text counts as a loop (RepeatsPhrase).
const minTailRepeatWords = 4

// RepeatsPhrase reports whether the text says some phrase of at least three
// words twice in a row ("has never been surpassed has never been
// surpassed"), or ends by saying again a phrase of at least four words it
// said before ("in passing that has an example of fine typography that has
// an example"). Whisper loops the first way inside one segment when its
// encoder context is cut to the clip, and the second way on the silence
// after the last word (the load bench saw it in 1 or 2 of 8 calls' finals
// of one clip); the engine answers by decoding again with a larger window.
// People rarely repeat a whole clause back to back, or end on one they
// said before, and when they do the cost is one more decode, not lost
// words.
func (r Result) RepeatsPhrase() bool {
	words := strings.Fields(segmentKey(r.Text()))
	for k := minRepeatWords; 2*k <= len(words); k++ {
		for i := 0; i+2*k <= len(words); i++ {
			if equalWords(words[i:i+k], words[i+k:i+2*k]) {
				return true
			}
		}
	}
	for k := minTailRepeatWords; 2*k <= len(words); k++ {
		tail := words[len(words)-k:]
		for i := 0; i+k <= len(words)-k; i++ {
			if equalWords(words[i:i+k], tail) {
				return true
			}
		}
	}
	return false
}

func equalWords(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
