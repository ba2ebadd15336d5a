package stream

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/callscribe/callscribe/transcribe"
)

// speaker says word i of its script from second 0.4i to 0.4i+0.3 of call
// time, and hears a request as a decoder would: the words whose audio
// lies inside the request's span, timed from the span's start. change, if
// set, may reword a hypothesis (the model changing its mind).
type speaker struct {
	script []string
	change func(n int, words []string) []string
	heard  int // hypotheses given
}

func (s *speaker) hear(req DecodeRequest) transcribe.Result {
	var ws []string
	var starts []float64
	for i, w := range s.script {
		at := 0.4 * float64(i)
		if at >= req.Start-0.05 && at+0.3 <= req.End {
			ws = append(ws, w)
			starts = append(starts, at-req.Start)
		}
	}
	s.heard++
	if s.change != nil {
		ws = s.change(s.heard, ws)
	}
	if len(ws) == 0 {
		return transcribe.Result{}
	}
	res := words(0, strings.Join(ws, " "))
	for i := range res.Segments[0].Tokens {
		st := starts[min(i, len(starts)-1)]
		res.Segments[0].Tokens[i].Start, res.Segments[0].Tokens[i].End = st, st+0.3
	}
	return res
}

func script(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("w%d", i)
	}
	return out
}

// talk plays secs seconds of one utterance from 0, answering each partial
// request at once with sp's hearing, and returns the requests and the
// partials shown.
func talk(t *testing.T, p *UtterancePolicy, sp *speaker, secs float64) ([]DecodeRequest, []Partial) {
	t.Helper()
	reqs, err := p.OnSpeechStart(0, wall(0))
	if err != nil {
		t.Fatal(err)
	}
	var asked []DecodeRequest
	var shown []Partial
	for at := 0.0; at < secs; at += 0.02 {
		reqs = append(reqs, feed(p, at, at+0.02)...)
		for _, r := range reqs {
			if r.Kind != transcribe.Partial {
				continue
			}
			asked = append(asked, r)
			if part, ok := p.OnPartialDecoded(r, sp.hear(r), wall(at)); ok {
				shown = append(shown, part)
			}
		}
		reqs = nil
	}
	return asked, shown
}

func TestPartialsDecodeAWindowWithTheStableTextAsPrompt(t *testing.T) {
	p := newPolicy(t, nil)
	sp := &speaker{script: script(40)}
	asked, shown := talk(t, p, sp, 16)
	last := shown[len(shown)-1]
	// Everything said up to the last second is shown, the older words
	// stable.
	if !strings.HasPrefix(last.Text, strings.Join(script(36), " ")) {
		t.Fatalf("last partial %q, want the script's first 36 words", last.Text)
	}
	if len(strings.Fields(last.StableText)) < 33 {
		t.Errorf("only %q stable after 16 s", last.StableText)
	}
	if last.Start != 0 {
		t.Errorf("a partial spans the utterance from %v, want its start", last.Start)
	}
	// The later requests decode a window: a second of stable words, then
	// the new speech; the stable words before it are the prompt.
	r := asked[len(asked)-1]
	if span := r.End - r.Start; span > 2.5 {
		t.Errorf("last request decodes %.2f s of audio, want a window of about 2 s", span)
	}
	// The window opens windowLead before a stable word's start: the
	// prompt ends with the word before it.
	j := int((r.Start+windowLead)/0.4 + 0.5)
	if r.Start < 10 || !strings.HasSuffix(r.Options.Prompt, fmt.Sprintf(" w%d", j-1)) {
		t.Errorf("window from %.2f s prompted with %q, want the stable words before it", r.Start, r.Options.Prompt)
	}
	if int64(len(r.Samples)) != pos(r.End)-pos(r.Start) {
		t.Errorf("%d samples for [%.2f, %.2f]", len(r.Samples), r.Start, r.End)
	}
}

func TestPartialCostIsBoundedPerSecondOfSpeech(t *testing.T) {
	// Over a long utterance the audio decoded by partials grows in
	// proportion to the speech, not with its square: every window stays
	// under PartialContext + PartialUnstable + the interval, even when
	// the model never agrees with itself.
	for _, c := range []struct {
		name   string
		change func(int, []string) []string
	}{
		{"agreeing", nil},
		{"never agreeing", func(n int, ws []string) []string {
			out := make([]string, len(ws))
			for i, w := range ws {
				out[i] = fmt.Sprintf("%s.%d", w, n) // a new spelling every time
			}
			return out
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := newPolicy(t, nil)
			sp := &speaker{script: script(75), change: c.change}
			asked, shown := talk(t, p, sp, 29)
			bound := (time.Second + 4*time.Second + 800*time.Millisecond + 40*time.Millisecond).Seconds()
			for _, r := range asked {
				if r.End-r.Start > bound {
					t.Fatalf("a partial decodes [%.2f, %.2f], %.2f s > %.2f s", r.Start, r.End, r.End-r.Start, bound)
				}
			}
			st := p.Stats()
			perSecond := float64(st.PartialSamples) / rate / 29
			t.Logf("%d partials, %.2f s of audio decoded per second of speech, %d words forced", st.PartialRequests, perSecond, st.PartialWordsForced)
			if perSecond > bound/0.8 {
				t.Errorf("%.2f s decoded per second of speech", perSecond)
			}
			// Whatever the model did, shown stable text was never taken back.
			prev := ""
			for _, part := range shown {
				if !strings.HasPrefix(part.StableText, prev) || !strings.HasPrefix(part.Text, part.StableText) {
					t.Fatalf("stable %q after %q, text %q", part.StableText, prev, part.Text)
				}
				prev = part.StableText
			}
			if c.change != nil && st.PartialWordsForced == 0 {
				t.Error("a model that never agrees got no word forced stable")
			}
		})
	}
}

// startStretched feeds 0.3 s of audio to a policy whose partials are
// stretched to 3 s, starts an utterance at its beginning, feeds it to 0.82
// s and returns the policy and the one partial request that asked for.
func startStretched(t *testing.T) (*UtterancePolicy, DecodeRequest) {
	t.Helper()
	p := newPolicy(t, nil)
	p.SetPartialInterval(3 * time.Second)
	feed(p, 0, 0.3)
	mustStart(t, p, 0)
	return p, only(t, feed(p, 0.3, 0.82), transcribe.Partial)
}

func TestFirstPartialKeepsItsPaceWhenPartialsStretch(t *testing.T) {
	p, first := startStretched(t)
	if !near(first.End, 0.8) || !first.First || !first.Job("k").First {
		t.Fatalf("first partial ends at %v (first %v), want 0.8 and marked first", first.End, first.First)
	}
	p.OnPartialDecoded(first, words(0, "hello"), wall(0.9))
	if reqs := feed(p, 0.82, 3.78); len(reqs) != 0 {
		t.Fatalf("asked %v before 3 s of new speech", summary(reqs))
	}
	second := only(t, feed(p, 3.78, 3.82), transcribe.Partial)
	if second.First {
		t.Error("the second partial is marked first")
	}
	// Back to the configured pace.
	p.OnPartialDecoded(second, words(0, "hello there"), wall(3.9))
	p.SetPartialInterval(0)
	only(t, feed(p, 3.82, 4.62), transcribe.Partial)
}

func TestFirstPartialThatFailsIsAskedAgainSoon(t *testing.T) {
	p, first := startStretched(t)
	p.OnDecodeFailed(first) // dropped from a full queue, say
	retry := only(t, feed(p, 0.82, 1.62), transcribe.Partial)
	if !retry.First || !near(retry.End, 1.6) {
		t.Fatalf("retry ends at %v (first %v), want 1.6, marked first", retry.End, retry.First)
	}
	// A rejected answer (no words) is not a partial shown either.
	if _, ok := p.OnPartialDecoded(retry, words(0, ""), wall(1.7)); ok {
		t.Fatal("an empty answer was shown")
	}
	third := only(t, feed(p, 1.62, 2.42), transcribe.Partial)
	if !third.First {
		t.Fatal("the third request, after nothing was shown, is not marked first")
	}
	p.OnPartialDecoded(third, words(0, "hello"), wall(2.5))
	if reqs := feed(p, 2.42, 5.38); len(reqs) != 0 {
		t.Fatalf("asked %v before 3 s of new speech after a partial was shown", summary(reqs))
	}
	if next := only(t, feed(p, 5.38, 5.44), transcribe.Partial); next.First {
		t.Error("a partial after one was shown is marked first")
	}
}

func TestAnswerToAPartialGivenUpIsStale(t *testing.T) {
	p := newPolicy(t, nil)
	p.OnSpeechStart(0, wall(0))
	old := only(t, feed(p, 0, 1), transcribe.Partial)
	// Never answered: after PartialTimeout a new one is asked.
	fresh := only(t, p.Push(pos(1), make([]float32, pos(1)), wall(4)), transcribe.Partial)
	if _, ok := p.OnPartialDecoded(old, words(0, "late words"), wall(4.1)); ok {
		t.Fatal("the answer to a partial given up was shown")
	}
	p.OnDecodeFailed(old) // a late failure does not free the fresh one
	if reqs := p.Push(pos(2), make([]float32, pos(1)), wall(4.2)); len(reqs) != 0 {
		t.Fatalf("asked %v while the fresh partial is in flight", summary(reqs))
	}
	if part, ok := p.OnPartialDecoded(fresh, words(0, "fresh words"), wall(4.3)); !ok || part.Text != "fresh words" {
		t.Fatalf("fresh answer: %+v %v", part, ok)
	}
	if st := p.Stats(); st.PartialsStale != 1 {
		t.Errorf("stale %d, want 1", st.PartialsStale)
	}
}
