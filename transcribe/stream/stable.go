package stream

import "github.com/callscribe/callscribe/bridge/event"

// boundarySlop is how far before the end of the last stable word a word of
// a disagreeing hypothesis may start and still count as new: token times
// jitter by a frame or two between decodes.
const boundarySlop = 0.1

// stabilizer turns the successive hypotheses of one utterance into a stable
// prefix that only ever grows, by local agreement of the last two: a word
// becomes stable once two consecutive hypotheses agree on it and on
// everything before it (LocalAgreement-2). Words are compared normalised,
// so a comma or capital that comes and goes does not hold a word back.
type stabilizer struct {
	stable []event.Word
	keys   []string // Normalize of each stable word
	prev   hypothesis
}

// update takes the next hypothesis and returns the stable words and the
// unstable tail to show after them.
func (s *stabilizer) update(h hypothesis) (stable, tail []event.Word) {
	prevTail, tail := s.tailOf(s.prev), s.tailOf(h)
	n := 0
	for n < len(prevTail) && n < len(tail) && Normalize(prevTail[n].Word) == Normalize(tail[n].Word) {
		n++
	}
	for _, w := range tail[:n] {
		s.stable = append(s.stable, w)
		s.keys = append(s.keys, Normalize(w.Word))
	}
	s.prev = h
	return s.stable, tail[n:]
}

// tailOf returns the words of h that come after the stable prefix. When h
// starts with the stable words that is simply the rest. When h disagrees
// with them (the model changed its mind about words already shown), the
// stable words stay as shown and the tail is what h says after them: the
// words starting from the end of the last stable word on, or, without
// word times, the words past as many as are stable. Either way a tail that
// opens with the last stable words again loses them, since token times
// jitter and clamping can put one word on both sides of the cut.
func (s *stabilizer) tailOf(h hypothesis) []event.Word {
	n := len(s.stable)
	switch {
	case n == 0:
		return h.words
	case s.startsWithStable(h.words):
		return h.words[n:]
	case h.timed:
		cut := s.stable[n-1].End - boundarySlop
		for i, w := range h.words {
			if w.Start >= cut {
				return s.skipRepeat(h.words[i:])
			}
		}
		return nil
	case n < len(h.words):
		return s.skipRepeat(h.words[n:])
	}
	return nil
}

// maxRepeat is the longest run of stable words looked for at the start of
// a tail: enough for a short phrase, short enough to rarely match by chance.
const maxRepeat = 5

// skipRepeat drops the longest run of words that opens tail and repeats
// the end of the stable words.
func (s *stabilizer) skipRepeat(tail []event.Word) []event.Word {
	for k := min(maxRepeat, len(tail), len(s.keys)); k > 0; k-- {
		same := true
		for i := range k {
			if Normalize(tail[i].Word) != s.keys[len(s.keys)-k+i] {
				same = false
				break
			}
		}
		if same {
			return tail[k:]
		}
	}
	return tail
}

func (s *stabilizer) startsWithStable(words []event.Word) bool {
	if len(words) < len(s.keys) {
		return false
	}
	for i, k := range s.keys {
		if Normalize(words[i].Word) != k {
			return false
		}
	}
	return true
}
