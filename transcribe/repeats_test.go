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
