package wer

import "fmt"

// Result is the score of a hypothesis against a reference, or of many
// clips summed by a [Tally].
type Result struct {
	RefWords      int // normalised words in the reference
	Substitutions int
	Deletions     int
	Insertions    int
	// WER is (Substitutions + Deletions + Insertions) / RefWords, with an
	// empty reference counted as one word (see the package doc). It can
	// exceed 1 when the hypothesis has many extra words.
	WER float64
}

// Errors returns the number of word errors: substitutions, deletions and
// insertions together.
func (r Result) Errors() int { return r.Substitutions + r.Deletions + r.Insertions }

// String formats r for logs and test failures, e.g.
// "WER 12.50% (S 1, D 0, I 1; 16 ref words)".
func (r Result) String() string {
	return fmt.Sprintf("WER %.2f%% (S %d, D %d, I %d; %d ref words)",
		100*r.WER, r.Substitutions, r.Deletions, r.Insertions, r.RefWords)
}

// withRate returns r with WER computed from its counts.
func (r Result) withRate() Result {
	r.WER = float64(r.Errors()) / float64(max(r.RefWords, 1))
	return r
}

// Compute normalises ref (the reference transcript) and hyp (the
// recogniser's output) with [Normalize] and scores hyp against ref with a
// minimum-cost word alignment.
func Compute(ref, hyp string) Result {
	r, h := Normalize(ref), Normalize(hyp)
	c, _ := align(r, h, false)
	return Result{
		RefWords:      len(r),
		Substitutions: c.sub,
		Deletions:     c.del,
		Insertions:    c.ins,
	}.withRate()
}

// Tally sums the results of many clips into a corpus score. The zero value
// is an empty tally, ready to use. A Tally is not safe for concurrent use.
type Tally struct {
	clips int
	sum   Result
}

// Add counts one clip's result. Its WER field is ignored: the corpus WER is
// computed from the summed counts.
func (t *Tally) Add(r Result) {
	t.clips++
	t.sum.RefWords += r.RefWords
	t.sum.Substitutions += r.Substitutions
	t.sum.Deletions += r.Deletions
	t.sum.Insertions += r.Insertions
}

// Clips returns how many results were added.
func (t *Tally) Clips() int { return t.clips }

// Result returns the summed counts and the corpus WER: total errors over
// total reference words, so that each clip weighs as much as it has words
// rather than each clip's WER counting once.
func (t *Tally) Result() Result { return t.sum.withRate() }

// Aggregate returns the corpus score of results, as a [Tally] that had
// each of them added would.
func Aggregate(results ...Result) Result {
	var t Tally
	for _, r := range results {
		t.Add(r)
	}
	return t.Result()
}
