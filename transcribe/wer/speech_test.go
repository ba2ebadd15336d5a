package wer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/callscribe/callscribe/fixtures"
)

// speechDir finds the shared reference recordings.
func speechDir(t *testing.T) string {
	t.Helper()
	d, err := fixtures.SpeechDir()
	if err != nil {
		t.Skip(err)
	}
	return d
}

// readReferences returns the text of every .txt reference by file name.
func readReferences(t *testing.T) map[string]string {
	t.Helper()
	dir := speechDir(t)
	paths, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no references in %s: %v", dir, err)
	}
	refs := map[string]string{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		refs[filepath.Base(p)] = string(b)
	}
	return refs
}

// cleanWord reports why w is not a clean normalised word, or "" if it is:
// only lower-case letters, digits, and apostrophes or decimal points
// inside, with no number word left spelled out.
func cleanWord(w string) string {
	for _, r := range w {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '.' {
			return "has " + string(r)
		}
		if unicode.ToLower(r) != r {
			return "is not lower case"
		}
	}
	if strings.Trim(w, "'.") != w {
		return "has punctuation at an edge"
	}
	if _, ok := numWords[w]; ok || w == "zero" {
		return "is a spelled number"
	}
	return ""
}

func TestReferencesNormalizeCleanly(t *testing.T) {
	for name, text := range readReferences(t) {
		words := Normalize(text)
		if len(words) == 0 {
			t.Errorf("%s: no words", name)
		}
		for _, w := range words {
			if why := cleanWord(w); why != "" {
				t.Errorf("%s: word %q %s", name, w, why)
			}
		}
		again := Normalize(strings.Join(words, " "))
		if strings.Join(again, " ") != strings.Join(words, " ") {
			t.Errorf("%s: not idempotent:\n%q\n%q", name, words, again)
		}
	}
}

// TestReferencesMatchWhisperStyle checks that the references score
// perfectly against the same words written the way Whisper writes them.
func TestReferencesMatchWhisperStyle(t *testing.T) {
	refs := readReferences(t)
	cases := []struct{ file, hyp, want string }{
		{"LJ001-0007.txt",
			`The earliest book printed with movable types, the Gutenberg, or "42-line Bible" of about 1455.`,
			"the earliest book printed with movable types the gutenberg or 42 line bible of about 1455"},
		{"LJ001-0005.txt",
			"The invention of movable metal letters in the middle of the 15th century may justly be considered as the invention of the art of printing.",
			""},
		{"jfk.txt",
			"And so, my fellow Americans, ask not what your country can do for you; ask what you can do for your country.",
			""},
	}
	for _, c := range cases {
		ref, ok := refs[c.file]
		if !ok {
			t.Errorf("%s missing", c.file)
			continue
		}
		if c.want != "" {
			if got := strings.Join(Normalize(ref), " "); got != c.want {
				t.Errorf("%s normalises to %q, want %q", c.file, got, c.want)
			}
		}
		if r := Compute(ref, c.hyp); r.Errors() != 0 {
			t.Errorf("%s against %q: %v, alignment %v", c.file, c.hyp, r, Alignment(ref, c.hyp))
		}
	}
	for file, heading := range map[string]string{"sonnet1.txt": "sonnet 1 from", "sonnet2.txt": "sonnet 2 when", "sonnet3.txt": "sonnet 3 look"} {
		if got := strings.Join(Normalize(refs[file]), " "); !strings.HasPrefix(got, heading+" ") {
			t.Errorf("%s starts %.30q, want %q", file, got, heading)
		}
	}
}
