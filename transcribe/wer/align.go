package wer

// Op is the kind of one step in a word alignment.
type Op uint8

// The steps of an alignment, named from the reference's point of view.
const (
	Match        Op = iota // the words are equal
	Substitution           // the hypothesis has another word in its place
	Deletion               // the reference word is missing from the hypothesis
	Insertion              // the hypothesis has a word the reference lacks
)

// String returns the step's name in lower case, e.g. "substitution".
func (o Op) String() string {
	switch o {
	case Match:
		return "match"
	case Substitution:
		return "substitution"
	case Deletion:
		return "deletion"
	case Insertion:
		return "insertion"
	}
	return "unknown"
}

// Edit is one step of an alignment between normalised words.
type Edit struct {
	Op  Op
	Ref string // the reference word; empty for an Insertion
	Hyp string // the hypothesis word; empty for a Deletion
}

// Alignment normalises ref and hyp and returns a minimum-cost alignment of
// their words, in order, as used by [Compute]: counting its steps by Op
// gives the same Result. It is meant for debugging reports; it needs a
// byte per pair of words (about 80 MB for two 9,000-word transcripts),
// where Compute needs memory only in proportion to the hypothesis.
func Alignment(ref, hyp string) []Edit {
	r, h := Normalize(ref), Normalize(hyp)
	_, steps := align(r, h, true)
	edits := make([]Edit, 0, max(len(r), len(h)))
	for i, j := len(r), len(h); i > 0 || j > 0; {
		e := Edit{Op: steps[i*(len(h)+1)+j]}
		if e.Op != Insertion {
			i--
			e.Ref = r[i]
		}
		if e.Op != Deletion {
			j--
			e.Hyp = h[j]
		}
		edits = append(edits, e)
	}
	for a, b := 0, len(edits)-1; a < b; a, b = a+1, b-1 {
		edits[a], edits[b] = edits[b], edits[a]
	}
	return edits
}

// counts are the edits on the best path to one cell of the alignment
// table. Keeping them per cell, rather than only the cost, lets Compute
// report S, D and I without storing the whole table to trace back.
type counts struct{ sub, del, ins int }

func (c counts) cost() int { return c.sub + c.del + c.ins }

// less orders paths by cost, then by substitutions, as the package doc
// says. Both are sums along the path, so the table still finds the best.
func (c counts) less(d counts) bool {
	return c.cost() < d.cost() || c.cost() == d.cost() && c.sub < d.sub
}

// align fills the Levenshtein table of ref against hyp row by row and
// returns the counts of the best path. If trace is set it also returns, for
// every cell (i, j) at index i*(len(hyp)+1)+j, the last step of that path.
// Remaining ties prefer a match or substitution, then a deletion, then an
// insertion, in both modes, so Compute and Alignment always agree.
func align(ref, hyp []string, trace bool) (counts, []Op) {
	w := len(hyp) + 1
	prev, cur := make([]counts, w), make([]counts, w)
	var steps []Op
	if trace {
		steps = make([]Op, (len(ref)+1)*w)
	}
	for j := 1; j < w; j++ {
		prev[j] = counts{ins: j}
		if trace {
			steps[j] = Insertion
		}
	}
	for i := 1; i <= len(ref); i++ {
		cur[0] = counts{del: i}
		if trace {
			steps[i*w] = Deletion
		}
		for j := 1; j < w; j++ {
			best, op := prev[j-1], Match
			if ref[i-1] != hyp[j-1] {
				best.sub++
				op = Substitution
			}
			del, ins := prev[j], cur[j-1]
			del.del++
			ins.ins++
			if del.less(best) {
				best, op = del, Deletion
			}
			if ins.less(best) {
				best, op = ins, Insertion
			}
			cur[j] = best
			if trace {
				steps[i*w+j] = op
			}
		}
		prev, cur = cur, prev
	}
	return prev[w-1], steps
}
