package stream

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/callscribe/callscribe/transcribe"
)

func TestAudioBuffer(t *testing.T) {
	var b audioBuffer
	b.reset(100)
	if late := b.append(100, []float32{1, 2, 3}); late != 0 {
		t.Fatalf("late %d on a fresh buffer", late)
	}
	// Two of these samples are for positions already held.
	if late := b.append(101, []float32{9, 9, 4}); late != 2 || b.end() != 104 {
		t.Fatalf("late %d end %d, want 2 and 104", late, b.end())
	}
	if late := b.append(50, []float32{9}); late != 1 || b.end() != 104 {
		t.Fatalf("a wholly late push: late %d end %d", late, b.end())
	}
	if got := b.span(90, 102); !slices.Equal(got, []float32{1, 2}) || cap(got) != 2 {
		t.Fatalf("span(90, 102) = %v (cap %d), want [1 2] capped", got, cap(got))
	}
	b.dropBefore(102)
	if b.start != 102 || !slices.Equal(b.span(0, 200), []float32{3, 4}) {
		t.Fatalf("after dropBefore(102): start %d, %v", b.start, b.span(0, 200))
	}
	b.dropBefore(500)
	if b.start != 500 || b.len() != 0 || b.span(0, 1000) != nil {
		t.Fatalf("after dropBefore past the end: start %d len %d", b.start, b.len())
	}
}

// TestRequestSamplesStayIntact checks the buffer's promise: the samples of
// a request are never written again, whatever the policy does next, so a
// decode may read them on another goroutine (run with -race).
func TestRequestSamplesStayIntact(t *testing.T) {
	p := newPolicy(t, func(c *Config) { c.MaxUtterance = 3 * time.Second })
	var wg sync.WaitGroup
	defer wg.Wait()
	check := func(r DecodeRequest) {
		want := slices.Clone(r.Samples)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				if !slices.Equal(r.Samples, want) {
					t.Errorf("%s samples changed under the decode", r.UtteranceID)
					return
				}
			}
		}()
	}
	for i, r := range append(mustStart(t, p, 0), feed(p, 0, 7.5)...) {
		check(r)
		if r.Kind == transcribe.Partial && i%2 == 0 {
			p.OnPartialResult(r.UtteranceID, words(0, "go on"), wall(r.End))
		} else if r.Kind == transcribe.Partial {
			p.OnDecodeFailed(r)
		}
	}
	reqs, err := p.OnSpeechEnd(0, pos(7.4), wall(7.5))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reqs {
		check(r)
	}
	// Silence long enough to trim the buffer twice, then a new utterance.
	feed(p, 7.5, 16)
	for _, r := range append(mustStart(t, p, pos(15.5)), feed(p, 16, 18)...) {
		check(r)
	}
	if st := p.Stats(); st.ForcedSplits != 2 || st.FinalRequests != 3 {
		t.Errorf("stats %+v: want 2 forced splits and 3 finals", st)
	}
}

func TestGapBetweenUtterances(t *testing.T) {
	p := newPolicy(t, nil) // PreRoll 2 s
	feed(p, 0, 1)
	feed(p, 1.5, 2) // a short gap: filled, so a start inside it still has audio
	fin := only(t, append(mustStart(t, p, pos(0.8)), p.Flush(wall(2))...), transcribe.Final)
	if !near(fin.Start, 0.8) || fin.Samples[0] != float32(pos(0.8)) || fin.Samples[pos(0.4)] != 0 {
		t.Errorf("final from %v (first sample %v, 1.2 s = %v), want 0.8 s with silence in the gap", fin.Start, fin.Samples[0], fin.Samples[pos(0.4)])
	}
	feed(p, 10, 11) // a long gap: the buffer moves on
	fin = only(t, append(mustStart(t, p, pos(9)), p.Flush(wall(11))...), transcribe.Final)
	if !near(fin.Start, 10) || p.Stats().PreRollShort != 1 {
		t.Errorf("final from %v, PreRollShort %d: want 10 s, where the audio resumed", fin.Start, p.Stats().PreRollShort)
	}
}
