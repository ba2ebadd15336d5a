package wer

import (
	"strconv"
	"strings"
	"unicode"
)

// kind is the grammatical role of a number word, which decides what may
// follow it: "twenty" may take a unit, "nineteen" may not. The parser
// compares kinds by order, so the constants go from small to large.
type kind uint8

const (
	kNone     kind = iota // nothing read yet
	kUnit                 // one to nine
	kTeen                 // ten to nineteen
	kTens                 // twenty, thirty, ... ninety
	kHundred              // hundred
	kThousand             // thousand
	kAnd                  // "and" inside a number, as in "a hundred and one"
)

// numWord is the meaning of one number word.
type numWord struct {
	val     int
	kind    kind
	ordinal bool // "third" rather than "three"
}

// numWords holds every cardinal and ordinal word the parser knows, built
// from the lists below so the ordinals cannot drift from the cardinals.
var numWords = buildNumWords()

func buildNumWords() map[string]numWord {
	units := strings.Fields("one two three four five six seven eight nine")
	unitOrds := strings.Fields("first second third fourth fifth sixth seventh eighth ninth")
	teens := strings.Fields("ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen")
	tens := strings.Fields("twenty thirty forty fifty sixty seventy eighty ninety")
	m := map[string]numWord{
		"hundred":    {100, kHundred, false},
		"hundredth":  {100, kHundred, true},
		"thousand":   {1000, kThousand, false},
		"thousandth": {1000, kThousand, true},
	}
	for i, w := range units {
		m[w] = numWord{i + 1, kUnit, false}
		m[unitOrds[i]] = numWord{i + 1, kUnit, true}
	}
	for i, w := range teens {
		m[w] = numWord{i + 10, kTeen, false}
		ord := w + "th"
		if w == "twelve" {
			ord = "twelfth"
		}
		m[ord] = numWord{i + 10, kTeen, true}
	}
	for i, w := range tens {
		m[w] = numWord{(i + 2) * 10, kTens, false}
		m[strings.TrimSuffix(w, "y")+"ieth"] = numWord{(i + 2) * 10, kTens, true}
	}
	return m
}

// digitWord returns the value of a word that names one digit on its own
// ("zero" to "nine"), as read in phone numbers and after "point".
func digitWord(w string) (int, bool) {
	if w == "zero" {
		return 0, true
	}
	if nw, ok := numWords[w]; ok && nw.kind == kUnit && !nw.ordinal {
		return nw.val, true
	}
	return 0, false
}

// ordinalSuffix returns the English suffix for n written as an ordinal:
// 1st, 2nd, 3rd, 4th, but 11th, 12th, 13th.
func ordinalSuffix(n int) string {
	if n%100 >= 11 && n%100 <= 13 {
		return "th"
	}
	switch n % 10 {
	case 1:
		return "st"
	case 2:
		return "nd"
	case 3:
		return "rd"
	}
	return "th"
}

// formatNumber writes n in digits, with an ordinal suffix if asked.
func formatNumber(n int, ordinal bool) string {
	s := strconv.Itoa(n)
	if ordinal {
		s += ordinalSuffix(n)
	}
	return s
}

// currencyWords gives the singular and plural word that replaces a
// currency sign.
var currencyWords = map[rune][2]string{
	'$': {"dollar", "dollars"},
	'£': {"pound", "pounds"},
	'€': {"euro", "euros"},
}

func isCurrency(r rune) bool {
	_, ok := currencyWords[r]
	return ok
}

// isNumeral reports whether w is written in digits with at most decimal
// points ("5", "2.50"), the only words a currency sign is moved after.
func isNumeral(w string) bool {
	for _, r := range w {
		if r != '.' && !unicode.IsDigit(r) {
			return false
		}
	}
	return w != ""
}

// largeScales stay words after a number (see the package doc), and a
// currency word goes after them.
var largeScales = map[string]bool{"million": true, "billion": true, "trillion": true}
