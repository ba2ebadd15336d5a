package wer

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// FuzzNormalize checks that Normalize never panics, returns only words of
// word characters with apostrophes or points inside, and is idempotent;
// and that a text scored against itself has no errors.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{
		"",
		"Sonnet one. From fairest creatures we desire increase,",
		`the Gutenberg, or "forty-two line Bible" of about fourteen fifty-five,`,
		"[BLANK_AUDIO] (music) *laughs* {noise}",
		"$1,000.50 and 50% of £3 & €1 million",
		"a hundred and one, two thousand and first, nineteen oh five",
		"five five five one two oh three point oh",
		"don't 'tis ‘quoted’ ʼbare dogs' e-mail ― dash",
		"1,2345 1,234,56 3. .5 v1.2.3",
		"per cent, a million, oh, point",
		"e\u0301cole \u0301lead İstanbul",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		words := Normalize(s)
		for _, w := range words {
			if w == "" || strings.Trim(w, "'.") != w || strings.ContainsFunc(w, notWordRune) {
				t.Fatalf("Normalize(%q) has bad word %q in %q", s, w, words)
			}
		}
		again := Normalize(strings.Join(words, " "))
		if !slices.Equal(words, again) {
			t.Fatalf("not idempotent: Normalize(%q) = %q, then %q", s, words, again)
		}
		if r := Compute(s, s); r.Errors() != 0 || r.WER != 0 {
			t.Fatalf("Compute(%q, itself) = %v", s, r)
		}
	})
}

func notWordRune(r rune) bool { return !isWordRune(r) && r != '\'' && r != '.' }

// TestNormalizeWordSoup checks idempotence on random mixes of the words
// and marks the number parser reacts to, which byte-level fuzzing rarely
// puts together.
func TestNormalizeWordSoup(t *testing.T) {
	vocab := strings.Fields(`one two five nine zero oh a and point per cent
		ten twelve thirteen nineteen twenty ninety first second twelfth
		twentieth hundred hundredth thousand thousandth million , . - % &
		$5 $1 £2.50 1,000 3.5 3rd [x] (y) * ' don't`)
	rng := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		parts := make([]string, 1+rng.IntN(10))
		for k := range parts {
			parts[k] = vocab[rng.IntN(len(vocab))]
		}
		sep := []string{" ", "", "-"}[rng.IntN(3)]
		s := strings.Join(parts, sep)
		words := Normalize(s)
		if again := Normalize(strings.Join(words, " ")); !slices.Equal(words, again) {
			t.Fatalf("not idempotent: Normalize(%q) = %q, then %q", s, words, again)
		}
	}
}
