package transcribe

import "testing"

func TestSegmentWordsJoinsTokens(t *testing.T) {
	seg := Segment{Tokens: []Token{
		{Text: " And", Start: 0.0, End: 0.3, P: 0.9},
		{Text: " so", Start: 0.3, End: 0.5, P: 0.8},
		{Text: " Amer", Start: 0.6, End: 0.8, P: 0.95},
		{Text: "icans", Start: 0.8, End: 1.1, P: 0.6},
		{Text: ",", Start: 1.1, End: 1.1, P: 0.99},
		{Text: " ask", Start: 1.2, End: 1.4, P: 0.7},
	}}
	got := seg.Words()
	want := []Word{
		{Word: "And", Start: 0, End: 0.3, Confidence: 0.9},
		{Word: "so", Start: 0.3, End: 0.5, Confidence: 0.8},
		{Word: "Americans,", Start: 0.6, End: 1.1, Confidence: 0.6},
		{Word: "ask", Start: 1.2, End: 1.4, Confidence: 0.7},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d words %+v, want %+v", len(got), got, want)
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Word != w.Word || g.Start != w.Start || g.End != w.End || !near(g.Confidence, w.Confidence) {
			t.Errorf("word %d = %+v, want %+v", i, g, w)
		}
	}
}

func near(a, b float64) bool { return a-b < 1e-6 && b-a < 1e-6 }
