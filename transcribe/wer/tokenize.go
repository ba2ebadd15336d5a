package wer

import (
	"strings"
	"unicode"
)

// token is one word of lower-cased text before spelled numbers are turned
// into digits.
type token struct {
	text string
	// brk is set when punctuation other than a hyphen or dash stands
	// between this token and the previous one. Spelled numbers never run
	// across it, so "one, two" is not read as "12".
	brk bool
	// currency is the sign written directly before a number ("$" in
	// "$5"), which becomes a word after it; empty otherwise.
	currency rune
}

// closers maps each opening mark of a non-speech annotation to its closing
// mark. The asterisk closes itself.
var closers = map[rune]rune{'[': ']', '(': ')', '{': '}', '*': '*'}

// tokenize lower-cases s and splits it into tokens, dropping annotations
// and punctuation as the package doc's "Words and punctuation" describes.
func tokenize(s string) []token {
	rs := []rune(strings.ToLower(s))
	var (
		toks     []token
		word     []rune
		brk      bool
		currency rune
		// noCloser records opening marks already found to have no
		// closing mark after them, so that a text full of unmatched "("
		// is scanned once rather than once per "(".
		noCloser = map[rune]bool{}
	)
	emit := func(text string) {
		toks = append(toks, token{text: text, brk: brk, currency: currency})
		brk, currency = false, 0
	}
	flush := func() {
		if len(word) > 0 {
			emit(string(word))
			word = word[:0]
		}
	}
	next := func(i int) rune {
		if i+1 < len(rs) {
			return rs[i+1]
		}
		return 0
	}
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case isApostrophe(r) && len(word) > 0 && isWordRune(next(i)):
			word = append(word, '\'')
		case isWordRune(r):
			word = append(word, r)
		case r == ',' && allDigits(word) && thousandsGroup(rs[i+1:]):
			// A thousands separator: drop it and keep the number whole.
		case r == '.' && len(word) > 0 && unicode.IsDigit(word[len(word)-1]) && unicode.IsDigit(next(i)):
			word = append(word, '.')
		case unicode.IsSpace(r) || unicode.Is(unicode.Pd, r):
			flush()
		case r == '%':
			flush()
			emit("percent")
		case r == '&':
			flush()
			emit("and")
		case isCurrency(r) && unicode.IsDigit(next(i)):
			flush()
			currency = r
		default:
			flush()
			brk = true
			if c, ok := closers[r]; ok && !noCloser[r] {
				if j := indexRune(rs[i+1:], c); j >= 0 {
					i += j + 1
				} else {
					noCloser[r] = true
				}
			}
		}
	}
	flush()
	return toks
}

// isWordRune reports whether r can be part of a word: letters, decimal
// digits and combining marks (so a decomposed accent stays in its word).
// The modifier letter apostrophe is a letter to Unicode but an apostrophe
// here.
func isWordRune(r rune) bool {
	return (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)) && !isApostrophe(r)
}

// isApostrophe reports whether r is one of the marks people and Whisper
// use as an apostrophe.
func isApostrophe(r rune) bool {
	switch r {
	case '\'', '\u2019', '\u2018', '\u02bc', '`':
		return true
	}
	return false
}

// allDigits reports whether w is a non-empty run of decimal digits.
func allDigits(w []rune) bool {
	for _, r := range w {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return len(w) > 0
}

// thousandsGroup reports whether rs starts with exactly three digits, as
// the group after a thousands separator does. "1,2" and "1,2345" are two
// numbers, not one.
func thousandsGroup(rs []rune) bool {
	if len(rs) < 3 || !allDigits(rs[:3]) {
		return false
	}
	return len(rs) == 3 || !unicode.IsDigit(rs[3])
}

// indexRune returns the index of the first c in rs, or -1.
func indexRune(rs []rune, c rune) int {
	for i, r := range rs {
		if r == c {
			return i
		}
	}
	return -1
}
