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
//
// A hypothesis may cover only the end of the utterance (a partial's
// window, see window.go): base stable words lie before its audio, and it
// is read as starting with the stable words after them.
type stabilizer struct {
	stable []event.Word
	keys   []string // Normalize of each stable word
	// tail is the previous hypothesis's words after the stable ones: what
	// the next one must agree with.
	tail []event.Word
}

// update takes the next hypothesis of the whole utterance and returns the
// stable words and the unstable tail to show after them.
func (s *stabilizer) update(h hypothesis) (stable, tail []event.Word) { return s.updateFrom(h, 0) }

// updateFrom takes the next hypothesis, decoded with base stable words
// before its audio, and returns the stable words and the unstable tail to
// show after them.
func (s *stabilizer) updateFrom(h hypothesis, base int) (stable, tail []event.Word) {
	tail = s.tailOf(h, base)
	n := 0
	for n < len(s.tail) && n < len(tail) && Normalize(s.tail[n].Word) == Normalize(tail[n].Word) {
		n++
	}
	s.tail = tail
	s.commit(n)
	return s.stable, s.tail
}

// commit makes the first n words of the tail stable, as the latest
// hypothesis spells them.
func (s *stabilizer) commit(n int) {
	for _, w := range s.tail[:n] {
		s.stable = append(s.stable, w)
		s.keys = append(s.keys, Normalize(w.Word))
	}
	s.tail = s.tail[n:]
}

// tailOf returns the words of h that come after the stable prefix, h
// having been decoded with base stable words before its audio. When h
// starts with the stable words after base that is simply the rest. When h
// disagrees with them (the model changed its mind about words already
// shown), the stable words stay as shown and the tail is what h says after
// them: the words starting from the end of the last stable word on, or,
// without word times, the words past as many as are stable. Either way a
// tail that opens with the last stable words again loses them, since token
// times jitter and clamping can put one word on both sides of the cut.
func (s *stabilizer) tailOf(h hypothesis, base int) []event.Word {
	n := len(s.stable)
	base = min(base, n)
	switch inside := n - base; {
	case n == 0:
		return h.words
	case inside == 0:
		// Every stable word lies before the audio: the decoder had them as
		// its prompt, and may still say the last again.
		return s.skipRepeat(h.words)
	case s.startsWithStable(h.words, base):
		return h.words[inside:]
	case h.timed:
		cut := s.stable[n-1].End - boundarySlop
		for i, w := range h.words {
			if w.Start >= cut {
				return s.skipRepeat(h.words[i:])
			}
		}
		return nil
	case inside < len(h.words):
		return s.skipRepeat(h.words[inside:])
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

// startsWithStable reports whether words open with the stable words from
// index base on.
func (s *stabilizer) startsWithStable(words []event.Word, base int) bool {
	keys := s.keys[base:]
	if len(words) < len(keys) {
		return false
	}
	for i, k := range keys {
		if Normalize(words[i].Word) != k {
			return false
		}
	}
	return true
}
