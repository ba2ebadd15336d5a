package wer

import (
	"strconv"
	"strings"
)

// numberReader reads spelled numbers from a run of tokens.
type numberReader []token

// at returns the word at j if it continues the words before it: it
// exists and no punctuation separates them. Otherwise it returns "", which
// is no number word, so callers need no separate bounds check.
func (ts numberReader) at(j int) string {
	if j >= len(ts) || ts[j].brk {
		return ""
	}
	return ts[j].text
}

// parse reads the spelled number starting at token i and returns it in
// digits with the number of tokens it used, or "" and 0 if token i starts
// no number. The forms are tried from the most specific: a run of single
// digits, then a cardinal or ordinal, then a year-style pair or a decimal
// built on that cardinal.
func (ts numberReader) parse(i int) (string, int) {
	if s, n := ts.digitRun(i); n > 0 {
		return s, n
	}
	v, n, ordinal, simple := ts.cardinal(i)
	switch {
	case n == 0:
		return "", 0
	case ordinal:
		return formatNumber(v, true), n
	case simple && v >= 13 && v <= 99:
		if low, m, ord := ts.yearHalf(i + n); m > 0 {
			return formatNumber(v*100+low, ord), n + m
		}
	}
	s := strconv.Itoa(v)
	if frac, m := ts.digits(i+n+1, true); ts.at(i+n) == "point" && m > 0 {
		return s + "." + frac, n + 1 + m
	}
	return s, n
}

// digits reads single-digit words from token j on ("five", "oh", ...) and
// returns them as a digit string with their count. "oh" may only lead the
// run when leadingOh is set, that is after "point" or a first digit: a
// bare "oh five" is more likely an exclamation and a number.
func (ts numberReader) digits(j int, leadingOh bool) (string, int) {
	var b strings.Builder
	n := 0
	for ; ; n++ {
		w := ts.at(j + n)
		d, ok := digitWord(w)
		if w == "oh" && (n > 0 || leadingOh) {
			d, ok = 0, true
		}
		if !ok {
			break
		}
		b.WriteByte(byte('0' + d))
	}
	return b.String(), n
}

// digitRun reads two or more single-digit words, as in a phone number
// ("five five five" → "555", "one oh one" → "101").
func (ts numberReader) digitRun(i int) (string, int) {
	d, ok := digitWord(ts[i].text)
	if !ok {
		return "", 0
	}
	s, n := ts.digits(i+1, true)
	if n == 0 {
		return "", 0
	}
	return strconv.Itoa(d) + s, n + 1
}

// cardinal reads a number below a million from token i: "forty two",
// "a hundred and one", "two thousand and five", "nineteen hundred". It
// returns the value, the tokens used (0 if none), whether the last word
// was an ordinal, and whether the number was simple: only tens, teens
// and units, which is what may start a year-style pair.
func (ts numberReader) cardinal(i int) (val, n int, ordinal, simple bool) {
	if ts[i].text == "zero" {
		return 0, 1, false, false
	}
	var total, group int
	last, hasHundred, hasThousand := kNone, false, false
	simple = true
	j := i
	if ts[i].text == "a" {
		// "a" counts as one only before "hundred" or "thousand".
		nw, ok := numWords[ts.at(i+1)]
		if !ok || nw.ordinal || nw.kind < kHundred {
			return 0, 0, false, false
		}
		group, last, simple, j = 1, kUnit, false, i+1
	}
	for ; j < len(ts) && (j == i || !ts[j].brk); j++ {
		w := ts[j].text
		if w == "and" && (last == kHundred || last == kThousand) {
			// Only when a smaller part follows, so that the "and" in
			// "a hundred and more" stays a word.
			if nw, ok := numWords[ts.at(j+1)]; ok && nw.kind <= kTens {
				last, simple = kAnd, false
				continue
			}
			break
		}
		nw, ok := numWords[w]
		if !ok || !follows(last, nw.kind, hasHundred, hasThousand) {
			break
		}
		switch nw.kind {
		case kHundred:
			group = max(group, 1) * 100
			hasHundred, simple = true, false
		case kThousand:
			total, group = max(group, 1)*1000, 0
			hasHundred, hasThousand, simple = false, true, false
		default:
			group += nw.val
		}
		last = nw.kind
		if nw.ordinal {
			return total + group, j - i + 1, true, simple
		}
	}
	return total + group, j - i, false, simple
}

// follows reports whether a word of kind k may come after one of kind
// last in a cardinal. It rejects what would change the meaning if joined:
// "five five" is two numbers, "nineteen ninety" is a year, not 109.
func follows(last, k kind, hasHundred, hasThousand bool) bool {
	switch k {
	case kUnit:
		return last != kUnit && last != kTeen
	case kTeen, kTens:
		return last == kNone || last == kHundred || last == kThousand || last == kAnd
	case kHundred:
		return !hasHundred && last <= kTens
	case kThousand:
		return !hasThousand && last <= kHundred
	}
	return false
}

// yearHalf reads the second half of a year-style pair at token j: a number
// from 10 to 99 ("fifty five", "twenty", "twelfth"), or "oh" and a digit.
// It returns that value, the tokens used (0 if none), and whether it ends
// in an ordinal.
func (ts numberReader) yearHalf(j int) (val, n int, ordinal bool) {
	w := ts.at(j)
	if w == "oh" {
		if u, ok := numWords[ts.at(j+1)]; ok && u.kind == kUnit {
			return u.val, 2, u.ordinal
		}
		return 0, 0, false
	}
	nw, ok := numWords[w]
	switch {
	case ok && nw.kind == kTeen:
		return nw.val, 1, nw.ordinal
	case ok && nw.kind == kTens:
		if u, ok := numWords[ts.at(j+1)]; ok && u.kind == kUnit && !nw.ordinal {
			return nw.val + u.val, 2, u.ordinal
		}
		return nw.val, 1, nw.ordinal
	}
	return 0, 0, false
}
