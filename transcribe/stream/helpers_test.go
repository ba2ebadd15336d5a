package stream

import (
	"strings"
	"testing"
	"time"

	"github.com/callscribe/callscribe/transcribe"
)

// rate is samples per second, spelled short for positions in tests.
const rate = transcribe.SampleRate

// chunk is the push size in tests: 20 ms, as telephony frames arrive.
const chunk = rate / 50

var epoch = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// wall returns the test's wall clock sec seconds after epoch.
func wall(sec float64) time.Time {
	return epoch.Add(time.Duration(sec * float64(time.Second)))
}

// pos converts seconds to a track position.
func pos(sec float64) int64 { return int64(sec*rate + 0.5) }

func newPolicy(t *testing.T, change func(*Config)) *UtterancePolicy {
	t.Helper()
	cfg := Config{Track: "in"}.WithDefaults()
	if change != nil {
		change(&cfg)
	}
	p, err := NewUtterancePolicy(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// feed pushes audio from second from to second to in 20 ms chunks, with
// the wall clock equal to the audio position, and returns the requests.
// Each sample holds its own position, so tests can tell spans apart.
func feed(p *UtterancePolicy, from, to float64) []DecodeRequest {
	var reqs []DecodeRequest
	for at := pos(from); at < pos(to); at += chunk {
		n := min(int64(chunk), pos(to)-at)
		s := make([]float32, n)
		for i := range s {
			s[i] = float32(at + int64(i))
		}
		reqs = append(reqs, p.Push(at, s, wall(float64(at+n)/rate))...)
	}
	return reqs
}

// words builds a one-segment result whose words each take 0.3 s from clip
// second start, with token probability 0.9 and no-speech probability 0.01.
func words(start float64, text string) transcribe.Result {
	seg := transcribe.Segment{Text: " " + text, NoSpeechProb: 0.01}
	for i, w := range strings.Fields(text) {
		b := start + 0.3*float64(i)
		seg.Tokens = append(seg.Tokens, transcribe.Token{Text: " " + w, Start: b, End: b + 0.25, P: 0.9})
	}
	seg.Start = start
	if n := len(seg.Tokens); n > 0 {
		seg.End = seg.Tokens[n-1].End
	}
	return transcribe.Result{Segments: []transcribe.Segment{seg}}
}

// only returns the single request of kind in reqs, failing otherwise.
func only(t *testing.T, reqs []DecodeRequest, kind transcribe.DecodeKind) DecodeRequest {
	t.Helper()
	var found []DecodeRequest
	for _, r := range reqs {
		if r.Kind == kind {
			found = append(found, r)
		}
	}
	if len(found) != 1 {
		t.Fatalf("want exactly one request of kind %v, got %+v", kind, summary(reqs))
	}
	return found[0]
}

// summary describes requests without their samples, for failure messages.
func summary(reqs []DecodeRequest) []string {
	var out []string
	for _, r := range reqs {
		kind := "partial"
		if r.Kind == transcribe.Final {
			kind = "final"
		}
		out = append(out, kind+" "+r.UtteranceID)
	}
	return out
}

func near(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }

// utter plays one utterance [start, end) as the segmenter reports it: the
// start 0.3 s after it begins, the end 0.6 s after it ends. It returns the
// final request.
func utter(t *testing.T, p *UtterancePolicy, start, end float64) DecodeRequest {
	t.Helper()
	feed(p, float64(p.buf.end())/rate, start+0.3)
	mustStart(t, p, pos(start))
	feed(p, start+0.3, end+0.6)
	reqs, err := p.OnSpeechEnd(pos(start), pos(end), wall(end+0.6))
	if err != nil {
		t.Fatal(err)
	}
	return only(t, reqs, transcribe.Final)
}
