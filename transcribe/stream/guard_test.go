package stream

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/callscribe/callscribe/transcribe"
)

// segment builds a segment of text whose tokens all have probability p.
func segment(text string, noSpeech, p float32) transcribe.Segment {
	seg := words(0, text).Segments[0]
	seg.NoSpeechProb = noSpeech
	for i := range seg.Tokens {
		seg.Tokens[i].P = p
	}
	return seg
}

func TestIsNoSpeech(t *testing.T) {
	g := GuardConfig{}.WithDefaults()
	cases := []struct {
		name string
		seg  transcribe.Segment
		want bool
	}{
		{"silent and unsure", segment("you", 0.7, 0.2), true},
		{"silent but confident", segment("you", 0.7, 0.9), false},
		{"unsure but speech", segment("you", 0.5, 0.2), false},
		{"at the threshold", segment("you", 0.6, 0.2), false},
		{"no tokens, silent", transcribe.Segment{Text: "you", NoSpeechProb: 0.9}, true},
		{"no tokens, speech", transcribe.Segment{Text: "you", NoSpeechProb: 0.1}, false},
	}
	for _, c := range cases {
		if got := g.IsNoSpeech(c.seg); got != c.want {
			t.Errorf("%s: IsNoSpeech = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestAvgLogProb(t *testing.T) {
	if lp, ok := AvgLogProb(segment("a b", 0, float32(math.Exp(-1)))); !ok || math.Abs(lp+1) > 1e-6 {
		t.Errorf("AvgLogProb at p = 1/e: %v, %v; want -1", lp, ok)
	}
	if lp, ok := AvgLogProb(segment("a", 0, 0)); !ok || math.IsInf(lp, -1) || lp > -10 {
		t.Errorf("AvgLogProb at p = 0: %v; want a finite, very low value", lp)
	}
	if _, ok := AvgLogProb(transcribe.Segment{Text: "a"}); ok {
		t.Error("AvgLogProb without tokens claims a value")
	}
}

func TestCompressionRatio(t *testing.T) {
	g := GuardConfig{}.WithDefaults()
	cases := []struct {
		name string
		text string
		loop bool
	}{
		{"a sentence", "I'd like to check the status of my order, please.", false},
		{"a long answer", "Sure, the order went out on Tuesday from our warehouse in Leeds and it should arrive by Friday; I can send you the tracking number by email if you like.", false},
		{"a word loop", strings.Repeat("no ", 40), true},
		{"a phrase loop", strings.Repeat("I'm going to go to the store. ", 8), true},
		{"empty", "", false},
	}
	for _, c := range cases {
		if got := g.IsLoop(c.text); got != c.loop {
			t.Errorf("%s: ratio %.2f, IsLoop %v, want %v", c.name, CompressionRatio(c.text), got, c.loop)
		}
	}
}

func TestNormalize(t *testing.T) {
	cases := map[string]string{
		"Thank you.":            "thank you",
		"  [BLANK_AUDIO]  ":     "blank audio",
		"Don't—stop!":           "dont stop",
		"Ça va, Zoë?":           "ça va zoë",
		"…":                     "",
		"Order #4521, item B-7": "order 4521 item b 7",
	}
	for in, want := range cases {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIsAnnotation(t *testing.T) {
	cases := map[string]bool{
		"[BLANK_AUDIO]":      true,
		"(music)":            true,
		" *laughs* ":         true,
		"♪ la la la ♪":       true,
		"[Music] (applause)": true,
		"[inaudible] yes":    false,
		"Hello (laughs)":     false,
		"hello":              false,
		"( )":                false,
	}
	for in, want := range cases {
		if got := IsAnnotation(in); got != want {
			t.Errorf("IsAnnotation(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestIsSilencePhrase(t *testing.T) {
	g := GuardConfig{}.WithDefaults()
	cases := []struct {
		name    string
		text    string
		audio   time.Duration
		prob    float64
		hasProb bool
		want    bool
	}{
		{"short thank you", "Thank you.", 700 * time.Millisecond, 0.9, true, true},
		{"unsure thank you", "thank you", 2 * time.Second, 0.3, true, true},
		{"a heard thank you", "Thank you!", 1500 * time.Millisecond, 0.9, true, false},
		{"thank you, probability unknown", "Thank you.", 1500 * time.Millisecond, 0, false, false},
		{"subtitle credit", "Thanks for watching!", 600 * time.Millisecond, 0.95, true, true},
		{"a short real answer", "Yes.", 600 * time.Millisecond, 0.3, true, false},
		{"a phrase inside more", "Thank you, bye", 600 * time.Millisecond, 0.3, true, false},
	}
	for _, c := range cases {
		if got := g.IsSilencePhrase(Normalize(c.text), c.audio, c.prob, c.hasProb); got != c.want {
			t.Errorf("%s: IsSilencePhrase = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestIsRepeat(t *testing.T) {
	g := GuardConfig{}.WithDefaults()
	prev := &PreviousFinal{Text: "Thank you for calling Acme, this is Anna.", End: 20}
	cases := []struct {
		name  string
		text  string
		audio time.Duration
		start float64
		prev  *PreviousFinal
		want  bool
	}{
		{"the same text", "Thank you for calling Acme. This is Anna!", time.Second, 22, prev, true},
		{"a part of it", "this is Anna", time.Second, 22, prev, true},
		{"too few words", "Anna", time.Second, 22, prev, false},
		{"long audio", "this is Anna", 3 * time.Second, 22, prev, false},
		{"long after", "this is Anna", time.Second, 31, prev, false},
		{"just inside the window", "this is Anna", time.Second, 30, prev, true},
		{"no previous final", "this is Anna", time.Second, 22, nil, false},
		{"new words", "this is Bob", time.Second, 22, prev, false},
		{"only part of a word", "calling acm", time.Second, 22, &PreviousFinal{Text: "calling acme now", End: 20}, false},
	}
	for _, c := range cases {
		if got := g.IsRepeat(Normalize(c.text), c.audio, c.start, c.prev); got != c.want {
			t.Errorf("%s: IsRepeat = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestJudge(t *testing.T) {
	g := GuardConfig{}.WithDefaults()
	result := func(segs ...transcribe.Segment) transcribe.Result { return transcribe.Result{Segments: segs} }
	speech := segment("my order is late", 0.05, 0.9)
	prev := &PreviousFinal{Text: "My order is late.", End: 9}
	cases := []struct {
		name     string
		res      transcribe.Result
		audio    time.Duration
		prev     *PreviousFinal
		want     DropReason
		wantText string
		removed  int
	}{
		{"speech", result(speech), 2 * time.Second, nil, Keep, "my order is late", 0},
		{"a silent segment removed", result(segment("you", 0.8, 0.1), speech), 2 * time.Second, nil, Keep, "my order is late", 1},
		{"only silent segments", result(segment("you", 0.8, 0.1)), 2 * time.Second, nil, DropNoSpeech, "", 1},
		{"punctuation", result(segment("...", 0.1, 0.9)), 2 * time.Second, nil, DropEmpty, "...", 0},
		{"nothing", result(), 2 * time.Second, nil, DropEmpty, "", 0},
		{"loop", result(segment(strings.Repeat("la ", 30), 0.1, 0.9)), 2 * time.Second, nil, DropLoop, strings.TrimSpace(strings.Repeat("la ", 30)), 0},
		{"annotation", result(segment("[BLANK_AUDIO]", 0.1, 0.9)), 2 * time.Second, nil, DropAnnotation, "[BLANK_AUDIO]", 0},
		{"silence phrase", result(segment("Thank you.", 0.1, 0.9)), 500 * time.Millisecond, nil, DropSilencePhrase, "Thank you.", 0},
		{"repeat", result(speech), time.Second, prev, DropRepeat, "my order is late", 0},
		{"repeat from long audio", result(speech), 4 * time.Second, prev, Keep, "my order is late", 0},
	}
	for _, c := range cases {
		before := len(c.res.Segments)
		kept, reason, removed := g.Judge(Candidate{Result: c.res, Audio: c.audio, Start: 10, Previous: c.prev})
		if reason != c.want || kept.Text() != c.wantText || removed != c.removed {
			t.Errorf("%s: %v %q removed %d, want %v %q removed %d", c.name, reason, kept.Text(), removed, c.want, c.wantText, c.removed)
		}
		if len(c.res.Segments) != before || (before > 0 && c.res.Segments[0].Text == "") {
			t.Errorf("%s: Judge changed its input", c.name)
		}
	}
}

func TestGuardConfigValidate(t *testing.T) {
	if err := (GuardConfig{}).Validate(); err != nil {
		t.Fatalf("default guard config: %v", err)
	}
	for name, change := range map[string]func(*GuardConfig){
		"no-speech above 1":     func(g *GuardConfig) { g.NoSpeechProb = 1.5 },
		"negative no-speech":    func(g *GuardConfig) { g.NoSpeechProb = -0.1 },
		"positive log prob":     func(g *GuardConfig) { g.MinAvgLogProb = 0.5 },
		"compression at 1":      func(g *GuardConfig) { g.MaxCompressionRatio = 1 },
		"negative phrase audio": func(g *GuardConfig) { g.SilencePhraseMaxAudio = -time.Second },
		"phrase prob above 1":   func(g *GuardConfig) { g.SilencePhraseMinProb = 2 },
		"negative window":       func(g *GuardConfig) { g.RepeatWindow = -time.Second },
		"negative repeat words": func(g *GuardConfig) { g.RepeatMinWords = -1 },
	} {
		g := GuardConfig{}.WithDefaults()
		change(&g)
		if err := g.Validate(); !errors.Is(err, ErrBadConfig) {
			t.Errorf("%s: Validate = %v, want ErrBadConfig", name, err)
		}
	}
}

func TestEndsSentence(t *testing.T) {
	for text, want := range map[string]bool{
		" Thank you for calling.": true,
		"Can I help you?":         true,
		`He said "stop!"`:         true,
		"and then we went to the": false,
		"and then...":             false,
		"so…":                     false,
		"one, two,":               false,
		".":                       false,
		"":                        false,
	} {
		if got := EndsSentence(text); got != want {
			t.Errorf("EndsSentence(%q) = %v, want %v", text, got, want)
		}
	}
}
