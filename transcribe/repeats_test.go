package transcribe

import "testing"

func TestDropRepeatedSegments(t *testing.T) {
	seg := func(text string) Segment { return Segment{Text: text} }
	cases := []struct {
		name    string
		in      []string
		want    []string
		removed int
	}{
		{"loop after the speech", []string{" has never been surpassed.", " Has never been surpassed."}, []string{" has never been surpassed."}, 1},
		{"three times", []string{" a b c", " A, b c!", " a b c", " d"}, []string{" a b c", " d"}, 2},
		{"short repeats are speech", []string{" Hello?", " Hello?"}, []string{" Hello?", " Hello?"}, 0},
		{"not adjacent", []string{" one two three", " four", " one two three"}, []string{" one two three", " four", " one two three"}, 0},
		{"single", []string{" just one"}, []string{" just one"}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var r Result
			for _, s := range c.in {
				r.Segments = append(r.Segments, seg(s))
			}
			if n := r.DropRepeatedSegments(); n != c.removed {
				t.Errorf("removed %d, want %d", n, c.removed)
			}
			if len(r.Segments) != len(c.want) {
				t.Fatalf("kept %d segments, want %d", len(r.Segments), len(c.want))
			}
			for i, s := range r.Segments {
				if s.Text != c.want[i] {
					t.Errorf("segment %d = %q, want %q", i, s.Text, c.want[i])
				}
			}
		})
	}
}

func TestRepeatsPhrase(t *testing.T) {
	cases := []struct {
		text string
		want bool
	}{
		{" The work has never been surpassed. Has never been surpassed. Has never been surpassed.", true},
		{" a b c a b c", true},
		{" one two three, one two three!", true},
		{" I said no, no, no.", false},
		{" Hello? Hello?", false},
		{" The quick brown fox jumps over the lazy dog.", false},
		{" one two three four one two three five", false},
		// The tail says an earlier clause again (the load bench, 2026-12-05).
		{" And it is worth mention in passing that has an example of fine typography that has an example", true},
		{" I want to go home, I want to go", true},
		// A repeat that does not end the text, or of three words, is speech.
		{" the cat sat on the mat and the cat sat on the sofa", false},
		{" we did it and we did it", false},
		{"", false},
	}
	for _, c := range cases {
		r := Result{Segments: []Segment{{Text: c.text}}}
		if got := r.RepeatsPhrase(); got != c.want {
			t.Errorf("RepeatsPhrase(%q) = %v, want %v", c.text, got, c.want)
		}
	}
	// A loop split over segments counts too: the text is joined first.
	r := Result{Segments: []Segment{{Text: " never been surpassed"}, {Text: " never been surpassed"}}}
	if !r.RepeatsPhrase() {
		t.Error("a phrase repeated across two segments was not seen")
	}
}
