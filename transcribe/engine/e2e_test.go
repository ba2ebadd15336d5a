package engine

import (
	"context"
	"runtime"
	"sync"
	"testing"

	"github.com/callscribe/callscribe/fixtures/speech"
	"github.com/callscribe/callscribe/transcribe"
	"github.com/callscribe/callscribe/transcribe/wer"
)

// finalOptions are the service's final transcripts with room to spare:
// beam 5 on one thread, the encoder context sized to the clip, at least
// 128 frames, loops decoded again at the full window.
var finalOptions = transcribe.Options{Language: "en", BeamSize: 5, Threads: 1, AudioCtx: 128, RetryLoops: true}

// TestCorpusWER transcribes every clip of the real-speech corpus through the
// converted model, at 16 kHz and after the telephone path (8 kHz mu-law),
// and checks the aggregate word error rate.
func TestCorpusWER(t *testing.T) {
	m := testModel(t)
	clips := testClips(t)
	pool, err := transcribe.NewPool(m.Factory(), transcribe.PoolConfig{Workers: runtime.NumCPU()})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()

	for _, c := range []struct {
		name      string
		telephone bool
		maxWER    float64
	}{
		{"16kHz", false, 0.10},
		{"mulaw8kHz", true, 0.15},
	} {
		t.Run(c.name, func(t *testing.T) {
			tally := corpusWER(t, pool, clips, finalOptions, c.telephone)
			r := tally.Result()
			t.Logf("%s: corpus %v over %d clips", c.name, r, tally.Clips())
			if r.RefWords < 400 {
				t.Fatalf("only %d reference words scored", r.RefWords)
			}
			if r.WER > c.maxWER {
				t.Errorf("%s: WER %.3f > %.2f", c.name, r.WER, c.maxWER)
			}
		})
	}
}

// corpusWER decodes every clip through the pool concurrently and tallies
// the word errors.
func corpusWER(tb testing.TB, pool *transcribe.Pool, clips []speech.Clip, opts transcribe.Options, telephone bool) *wer.Tally {
	tb.Helper()
	results := make([]wer.Result, len(clips))
	var wg sync.WaitGroup
	for i, clip := range clips {
		samples := clip.Samples()
		if telephone {
			var err error
			if samples, err = speech.Telephone(samples, clip.Audio.SampleRate); err != nil {
				tb.Fatal(err)
			}
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := pool.Transcribe(context.Background(), samples, opts)
			if err != nil {
				tb.Errorf("%s: %v", clip.Name, err)
				return
			}
			results[i] = wer.Compute(clip.Reference, res.Text())
			if results[i].WER > 0.2 {
				tb.Logf("%s: %v\n  ref: %s\n  hyp: %s", clip.Name, results[i], clip.Reference, res.Text())
			}
		}()
	}
	wg.Wait()
	var tally wer.Tally
	for _, r := range results {
		tally.Add(r)
	}
	return &tally
}
