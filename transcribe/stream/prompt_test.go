package stream

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/callscribe/callscribe/transcribe"
)

func TestFinalsHaveNoPromptByDefault(t *testing.T) {
	p := newPolicy(t, nil)
	first := utter(t, p, 0.5, 2)
	p.OnFinalResult(first.UtteranceID, words(0, "Hi, this is Anna from Acme."), wall(3))
	if second := utter(t, p, 3, 5); second.Options.Prompt != "" {
		t.Errorf("second final prompted with %q without PromptFinals", second.Options.Prompt)
	}
	vocab := newPolicy(t, func(c *Config) { c.Vocabulary = "Acme, Anna." })
	first = utter(t, vocab, 0.5, 2)
	vocab.OnFinalResult(first.UtteranceID, words(0, "Hi, this is Anna from Acme."), wall(3))
	if second := utter(t, vocab, 3, 5); second.Options.Prompt != "Acme, Anna." {
		t.Errorf("second final prompted with %q, want the vocabulary alone", second.Options.Prompt)
	}
}

func promptFinals(c *Config) { c.PromptFinals = true }

func TestPromptCarriesThePreviousFinal(t *testing.T) {
	p := newPolicy(t, promptFinals)

	first := utter(t, p, 0.5, 2)
	if first.Options.Prompt != "" {
		t.Fatalf("first utterance prompted with %q", first.Options.Prompt)
	}
	p.OnFinalResult(first.UtteranceID, words(0, "Hi, this is Anna from Acme."), wall(3))

	second := utter(t, p, 3, 5)
	if second.Options.Prompt != "Hi, this is Anna from Acme." {
		t.Fatalf("second prompt %q, want the first final", second.Options.Prompt)
	}
	// The second final comes back late, after the third utterance ended,
	// and the second showed no partial: the first final is still the best
	// context there is.
	third := utter(t, p, 6, 7)
	if third.Options.Prompt != "Hi, this is Anna from Acme." {
		t.Fatalf("third prompt %q, want the first final", third.Options.Prompt)
	}
	p.OnFinalResult(second.UtteranceID, words(0, "My order is late."), wall(8))

	// A final the guards rejected is no prompt: the fourth gets the second.
	if _, ok := p.OnFinalResult(third.UtteranceID, words(0, "[BLANK_AUDIO]"), wall(8)); ok {
		t.Fatal("an annotation was accepted")
	}
	fourth := utter(t, p, 8, 9.5)
	if fourth.Options.Prompt != "My order is late." {
		t.Fatalf("fourth prompt %q, want the second final", fourth.Options.Prompt)
	}
}

func TestPromptFallsBackToThePendingPreviousPartial(t *testing.T) {
	p := newPolicy(t, promptFinals)
	feed(p, 0, 1.5)
	part := only(t, mustStart(t, p, pos(0.2)), transcribe.Partial)
	p.OnPartialResult(part.UtteranceID, words(0, "can you spell that"), wall(1.5))
	p.OnSpeechEnd(pos(0.2), pos(1.5), wall(1.5))
	// in-1's final has not come back when in-2 ends.
	second := utter(t, p, 2, 3)
	if second.Options.Prompt != "can you spell that" {
		t.Errorf("prompt %q, want the last partial of the pending previous utterance", second.Options.Prompt)
	}
}

func TestPromptIsTrimmed(t *testing.T) {
	// 300 characters of words that do not repeat, so no guard objects.
	rng := rand.New(rand.NewPCG(1, 2))
	var ws []string
	for n := 0; n < 300; n += 7 {
		w := make([]byte, 6)
		for i := range w {
			w[i] = byte('a' + rng.IntN(26))
		}
		ws = append(ws, string(w))
	}
	long := strings.Join(ws, " ")
	p := newPolicy(t, promptFinals)
	first := utter(t, p, 0.5, 2)
	if _, ok := p.OnFinalResult(first.UtteranceID, words(0, long), wall(3)); !ok {
		t.Fatal("the long final was dropped")
	}
	second := utter(t, p, 3, 4)
	got := second.Options.Prompt
	if n := utf8.RuneCountInString(got); n > 200 || n < 180 || !strings.HasSuffix(long, got) || !strings.Contains(long, " "+got) {
		t.Errorf("prompt of %d characters %q: want the last ~200 from a word start", n, got)
	}
	off := newPolicy(t, func(c *Config) { c.PromptFinals, c.PromptChars = true, -1 })
	first = utter(t, off, 0.5, 2)
	off.OnFinalResult(first.UtteranceID, words(0, "some text"), wall(3))
	if second := utter(t, off, 3, 4); second.Options.Prompt != "" {
		t.Errorf("PromptChars 0 still prompted %q", second.Options.Prompt)
	}
}

func TestLastChars(t *testing.T) {
	cases := []struct {
		text string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"  padded  ", 10, "padded"},
		{"one two three", 9, "two three"},  // the cut falls on a word start
		{"one two three", 10, "two three"}, // on the space before it
		{"one two three", 8, "three"},      // inside "two": skip to the next word
		{"über straße", 6, "straße"},
		{"unbroken", 4, "oken"}, // no word start in reach: keep the characters
	}
	for _, c := range cases {
		if got := lastChars(c.text, c.n); got != c.want {
			t.Errorf("lastChars(%q, %d) = %q, want %q", c.text, c.n, got, c.want)
		}
	}
}
