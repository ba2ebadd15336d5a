package stream

import (
	"slices"
	"strings"
)

// LostPrefix reports whether a final seems to have lost the start of its
// utterance: the partials showed at least four words, and the first of
// them is not among the final's first three. Whisper's tiny models,
// decoding greedily under load, now and then skip an utterance's first
// words ("Produced the block books, which were the immediate
// predecessors..." came out "You're the immediate predecessors..." while
// the partials had them right); a final that did is worth one more
// decode. A final that only reads the first words differently ("printing
// only since" shown, "Printing in the only sense" final) is not: the
// partials are the less careful decode. Words compare as Normalize
// leaves them.
func LostPrefix(shown, final string) bool {
	s := strings.Fields(Normalize(shown))
	if len(s) < 4 {
		return false
	}
	f := strings.Fields(Normalize(final))
	return !slices.Contains(f[:min(len(f), 3)], s[0])
}
