package main

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// tone returns a clip of silence, amp-loud samples for loud seconds, then
// silence again.
func tone(name, ref string, lead, loud, tail float64) Clip {
	s := make([]float32, int((lead+loud+tail)*sampleRate))
	for i := int(lead * sampleRate); i < int((lead+loud)*sampleRate); i++ {
		s[i] = float32(0.3 * math.Sin(float64(i)*0.2))
	}
	return NewClip(name, s, ref)
}

func testClips() (agentLines, callerClips []Clip) {
	for i, w := range []string{"hello there", "your payment arrived", "anything else"} {
		agentLines = append(agentLines, tone("agent-"+string(rune('1'+i)), w, 0.1, 1.5+float64(i)*0.3, 0.2))
	}
	for i, w := range []string{"one two", "three four five", "six", "seven eight"} {
		callerClips = append(callerClips, tone("c"+string(rune('a'+i)), w, 0.2, 1+float64(i)*0.5, 0.1))
	}
	return
}

func TestSpeechBounds(t *testing.T) {
	c := tone("x", "", 0.5, 1.0, 0.3)
	if math.Abs(c.SpeechStart-0.5) > 0.021 || math.Abs(c.SpeechEnd-1.5) > 0.021 {
		t.Errorf("bounds %.3f..%.3f, want 0.5..1.5", c.SpeechStart, c.SpeechEnd)
	}
}

func TestLayout(t *testing.T) {
	agentLines, callerClips := testClips()
	opt := DefaultLayout
	opt.Seed = 7
	a, err := Layout(0, agentLines, callerClips, opt)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := Layout(0, agentLines, callerClips, opt)
	if !slices.Equal(a.Truth, again.Truth) {
		t.Error("the same seed and index gave two layouts")
	}
	if len(a.Truth) != len(agentLines)+len(callerClips) {
		t.Fatalf("%d utterances, want %d", len(a.Truth), len(agentLines)+len(callerClips))
	}
	// The agent's script keeps its order, starts the call and every clip
	// is said once.
	if a.Truth[0].Track != agent || a.Truth[0].Clip != "agent-1" {
		t.Errorf("first turn %+v, want the agent's greeting", a.Truth[0])
	}
	if got := a.Reference(agent); got != "hello there your payment arrived anything else" {
		t.Errorf("agent reference %q", got)
	}
	var said []string
	for _, tr := range a.Truth {
		if tr.Track == caller {
			said = append(said, tr.Ref)
		}
	}
	if len(said) != len(callerClips) || a.Reference(caller) != strings.Join(said, " ") {
		t.Errorf("caller said %q", said)
	}
	// Different calls differ in order or timing.
	differs := false
	for i := 1; i < 6; i++ {
		b, _ := Layout(i, agentLines, callerClips, opt)
		if !slices.Equal(a.Truth, b.Truth) {
			differs = true
		}
	}
	if !differs {
		t.Error("six calls laid out alike")
	}
	last := map[string]float64{}
	for i, tr := range a.Truth {
		if tr.End <= tr.Start {
			t.Errorf("%d: empty span %+v", i, tr)
		}
		if prev, ok := last[tr.Track]; ok && tr.Start-prev < opt.SameTrack-1e-9 {
			t.Errorf("%d: %.2f s after the same speaker's previous utterance, want >= %.2f", i, tr.Start-prev, opt.SameTrack)
		}
		last[tr.Track] = tr.End
		if i > 0 && tr.Start < a.Truth[i-1].Start {
			t.Errorf("%d: turns out of order", i)
		}
		// The audio is loud where the truth says speech is.
		s := a.Tracks[tr.Track]
		mid := int((tr.Start + tr.End) / 2 * sampleRate)
		if rms(s[mid-160:mid+160]) < 0.1 {
			t.Errorf("%d: %s track silent mid-utterance", i, tr.Track)
		}
	}
	if a.Seconds < a.Truth[len(a.Truth)-1].End+opt.Tail-0.01 {
		t.Errorf("call %.2f s ends before its last utterance and tail", a.Seconds)
	}
	if len(a.Tracks[caller]) != len(a.Tracks[agent]) {
		t.Error("tracks of different lengths")
	}
}

func TestLayoutNeedsClips(t *testing.T) {
	agentLines, _ := testClips()
	if _, err := Layout(0, agentLines, nil, DefaultLayout); err == nil {
		t.Error("a call without caller clips was laid out")
	}
}

func rms(s []float32) float64 {
	var e float64
	for _, v := range s {
		e += float64(v) * float64(v)
	}
	return math.Sqrt(e / float64(len(s)))
}
