package stream_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/callscribe/callscribe/transcribe"
	"github.com/callscribe/callscribe/transcribe/stream"
)

// decoded stands in for the pool: a result whose words take 0.3 s each.
func decoded(text string) transcribe.Result {
	seg := transcribe.Segment{Text: " " + text}
	for i, w := range strings.Fields(text) {
		at := 0.3 * float64(i)
		seg.Tokens = append(seg.Tokens, transcribe.Token{Text: " " + w, Start: at, End: at + 0.25, P: 0.9})
	}
	return transcribe.Result{Segments: []transcribe.Segment{seg}}
}

func show(reqs []stream.DecodeRequest) {
	for _, r := range reqs {
		kind := "partial"
		if r.Kind == transcribe.Final {
			kind = "final"
		}
		fmt.Printf("decode %s of %s, %.1f-%.1f s\n", kind, r.UtteranceID, r.Start, r.End)
	}
}

// Example drives one utterance: audio in, the segmenter's boundaries, the
// pool's answers, and what the policy asks for and emits.
func Example() {
	policy, err := stream.NewUtterancePolicy(stream.Config{Track: "inbound"}.WithDefaults())
	if err != nil {
		panic(err)
	}
	call := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	at := func(sec float64) time.Time { return call.Add(time.Duration(sec * float64(time.Second))) }
	audio := func(sec float64) []float32 { return make([]float32, int(sec*transcribe.SampleRate)) }

	// Half a second of audio; the segmenter then reports speech from 0.3 s.
	show(policy.Push(0, audio(0.5), at(0.5)))
	reqs, _ := policy.OnSpeechStart(4800, at(0.5))
	show(reqs) // only 0.2 s of speech so far: nothing yet

	show(policy.Push(8000, audio(0.6), at(1.1)))
	part, _ := policy.OnPartialResult("inbound-1", decoded("I'd like to"), at(1.3))
	fmt.Printf("partial %q, stable %q\n", part.Text, part.StableText)

	show(policy.Push(17600, audio(0.8), at(1.9)))
	part, _ = policy.OnPartialResult("inbound-1", decoded("I'd like to check my"), at(2.1))
	fmt.Printf("partial %q, stable %q\n", part.Text, part.StableText)

	// Speech ended at 2.5 s; the segmenter says so after its silence rule.
	show(policy.Push(30400, audio(0.9), at(2.8)))
	reqs, _ = policy.OnSpeechEnd(4800, 40000, at(2.8))
	show(reqs)
	// The partial asked at 2.8 s comes back after the end: ignored.
	if _, ok := policy.OnPartialResult("inbound-1", decoded("I'd like to check my order"), at(2.9)); !ok {
		fmt.Println("late partial ignored")
	}
	final, ok := policy.OnFinalResult("inbound-1", decoded("I'd like to check my order."), at(3.2))
	fmt.Printf("final %v %q, %d words from %.1f s, latency %v\n", ok, final.Text, len(final.Words), final.Words[0].Start, at(3.2).Sub(final.SpeechEndAt))
	// Output:
	// decode partial of inbound-1, 0.3-1.1 s
	// partial "I'd like to", stable ""
	// decode partial of inbound-1, 0.3-1.9 s
	// partial "I'd like to check my", stable "I'd like to"
	// decode partial of inbound-1, 0.3-2.8 s
	// decode final of inbound-1, 0.3-2.5 s
	// late partial ignored
	// final true "I'd like to check my order.", 6 words from 0.3 s, latency 400ms
}
