package wer

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestCompute(t *testing.T) {
	cases := []struct {
		ref, hyp   string
		n, s, d, i int
		wer        float64
	}{
		{"the cat sat on the mat", "the cat sat on the mat", 6, 0, 0, 0, 0},
		{"the cat sat on the mat", "the cat sat on mat", 6, 0, 1, 0, 1.0 / 6},
		{"the cat sat", "the dog sat down", 3, 1, 0, 1, 2.0 / 3},
		{"hello there world", "there world again", 3, 0, 1, 1, 2.0 / 3},
		{"a b c d", "", 4, 0, 4, 0, 1},
		{"yes", "no no no", 1, 1, 0, 2, 3},
		{"Hello, World!", "hello world", 2, 0, 0, 0, 0},
		{"In fourteen fifty-five, forty-two lines.", "In 1455, 42 lines.", 4, 0, 0, 0, 0},
		{"It costs five dollars, fifty percent off.", "It costs $5, 50% off.", 7, 0, 0, 0, 0},
		{"the third of May", "the 3rd of may [BLANK_AUDIO]", 4, 0, 0, 0, 0},
		// An empty reference counts as one word: see the package doc.
		{"", "", 0, 0, 0, 0, 0},
		{"[BLANK_AUDIO]", "", 0, 0, 0, 0, 0},
		{"", "Thank you.", 0, 0, 0, 2, 2},
	}
	for _, c := range cases {
		got := Compute(c.ref, c.hyp)
		want := Result{RefWords: c.n, Substitutions: c.s, Deletions: c.d, Insertions: c.i, WER: c.wer}
		if got.RefWords != want.RefWords || got.Errors() != want.Errors() ||
			got.Substitutions != want.Substitutions || got.Deletions != want.Deletions ||
			math.Abs(got.WER-want.WER) > 1e-12 {
			t.Errorf("Compute(%q, %q) = %v, want %v", c.ref, c.hyp, got, want)
		}
	}
}

func TestAggregateWeighsByWords(t *testing.T) {
	short := Compute("hello", "goodbye") // 1 error in 1 word
	long := Compute("one of nine words in this clip are right", "one of nine words in this clip are right")
	if short.WER != 1 || long.WER != 0 || long.RefWords != 9 {
		t.Fatalf("setup: short %v, long %v", short, long)
	}
	got := Aggregate(short, long)
	// Corpus WER is 1/10, not the mean of the clip WERs (0.5).
	if got.WER != 0.1 || got.RefWords != 10 || got.Substitutions != 1 {
		t.Errorf("Aggregate = %v, want 1 substitution over 10 words, WER 0.1", got)
	}
	var tally Tally
	tally.Add(short)
	tally.Add(long)
	if tally.Clips() != 2 || tally.Result() != got {
		t.Errorf("Tally: %d clips, %v; want 2 clips, %v", tally.Clips(), tally.Result(), got)
	}
	if empty := Aggregate(); empty != (Result{}) {
		t.Errorf("Aggregate() = %v, want zero", empty)
	}
	if silence := Aggregate(Compute("", "uh"), Compute("", "")); silence.WER != 1 {
		t.Errorf("Aggregate of empty references = %v, want WER 1", silence)
	}
}

func TestAlignment(t *testing.T) {
	got := Alignment("the cat sat on the mat", "the dog sat on mat today")
	want := []Edit{
		{Match, "the", "the"}, {Substitution, "cat", "dog"}, {Match, "sat", "sat"},
		{Match, "on", "on"}, {Deletion, "the", ""}, {Match, "mat", "mat"},
		{Insertion, "", "today"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("Alignment = %v, want %v", got, want)
	}
	if a := Alignment("", ""); len(a) != 0 {
		t.Errorf("Alignment of empty texts = %v, want none", a)
	}
	if Deletion.String() != "deletion" || Op(9).String() != "unknown" {
		t.Errorf("Op.String: %q, %q", Deletion, Op(9))
	}
}

// TestAlignmentAgreesWithCompute checks on random word sequences that the
// alignment spells out both texts, costs what a plain Levenshtein distance
// says, and has the counts Compute reports.
func TestAlignmentAgreesWithCompute(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	words := func() []string {
		w := make([]string, rng.IntN(9))
		for k := range w {
			w[k] = string(rune('p' + rng.IntN(4)))
		}
		return w
	}
	for range 500 {
		r, h := words(), words()
		ref, hyp := strings.Join(r, " "), strings.Join(h, " ")
		edits := Alignment(ref, hyp)
		var gotR, gotH []string
		var c [4]int
		for _, e := range edits {
			c[e.Op]++
			if e.Op != Insertion {
				gotR = append(gotR, e.Ref)
			}
			if e.Op != Deletion {
				gotH = append(gotH, e.Hyp)
			}
			if (e.Op == Match) != (e.Ref == e.Hyp) {
				t.Fatalf("%q vs %q: bad step %+v", ref, hyp, e)
			}
		}
		res := Compute(ref, hyp)
		if !slices.Equal(gotR, r) || !slices.Equal(gotH, h) ||
			res.Substitutions != c[Substitution] || res.Deletions != c[Deletion] ||
			res.Insertions != c[Insertion] || res.Errors() != levenshtein(r, h) {
			t.Fatalf("%q vs %q: alignment %v, Compute %v, distance %d", ref, hyp, edits, res, levenshtein(r, h))
		}
	}
}

// levenshtein is the textbook edit distance, written independently of
// align to check it.
func levenshtein(a, b []string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			sub := d[i-1][j-1]
			if a[i-1] != b[j-1] {
				sub++
			}
			d[i][j] = min(sub, d[i-1][j]+1, d[i][j-1]+1)
		}
	}
	return d[len(a)][len(b)]
}
