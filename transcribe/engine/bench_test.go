package engine

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/callscribe/callscribe/fixtures/speech"
	"github.com/callscribe/callscribe/transcribe"
)

// speechOf returns n seconds of continuous reading, cut from a sonnet after
// its spoken heading.
func speechOf(b *testing.B, seconds float64) []float32 {
	b.Helper()
	for _, c := range testClips(b) {
		if c.Name == "sonnet2" {
			s := c.Samples()
			start := 3 * transcribe.SampleRate
			return s[start : start+int(seconds*transcribe.SampleRate)]
		}
	}
	b.Fatal("sonnet2 missing")
	return nil
}

// BenchmarkDecode reports the real-time factor (wall time / audio time) and
// CPU seconds per audio second of one decoder for clip lengths, thread
// counts and encoder contexts.
func BenchmarkDecode(b *testing.B) {
	m := testModel(b)
	d, err := m.NewDecoder()
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	for _, secs := range []float64{5, 10, 30} {
		samples := speechOf(b, secs)
		for _, threads := range []int{1, 2} {
			for _, ctxName := range []string{"full", "auto"} {
				opts := transcribe.Options{Language: "en", Threads: threads}
				if ctxName == "auto" {
					opts.AudioCtx = transcribe.AudioCtxAuto
				}
				b.Run(fmt.Sprintf("len=%gs/threads=%d/ctx=%s", secs, threads, ctxName), func(b *testing.B) {
					// One warm-up decode: the first touches cold weights.
					if _, err := d.Decode(context.Background(), samples, opts); err != nil {
						b.Fatal(err)
					}
					cpu0, t0 := transcribe.ProcessCPU().Seconds(), time.Now()
					for i := 0; i < b.N; i++ {
						if _, err := d.Decode(context.Background(), samples, opts); err != nil {
							b.Fatal(err)
						}
					}
					audio := secs * float64(b.N)
					b.ReportMetric(time.Since(t0).Seconds()/audio, "rtf")
					b.ReportMetric((transcribe.ProcessCPU().Seconds()-cpu0)/audio, "cpu-s/audio-s")
				})
			}
		}
	}
}

// BenchmarkCorpus decodes the whole corpus through a pool of one decoder
// per core and reports WER and cost for the encoder context and search
// settings a deployment chooses between.
func BenchmarkCorpus(b *testing.B) {
	m := testModel(b)
	clips := testClips(b)
	pool, err := transcribe.NewPool(m.Factory(), transcribe.PoolConfig{Workers: runtime.NumCPU()})
	if err != nil {
		b.Fatal(err)
	}
	defer pool.Close()
	for _, beam := range []int{1, 5} {
		for _, ctxName := range []string{"full", "auto"} {
			opts := transcribe.Options{Language: "en", BeamSize: beam, Threads: 1}
			if ctxName == "auto" {
				opts.AudioCtx = transcribe.AudioCtxAuto
			}
			b.Run(fmt.Sprintf("beam=%d/ctx=%s", beam, ctxName), func(b *testing.B) {
				for _, telephone := range []bool{false, true} {
					cpu0 := transcribe.ProcessCPU().Seconds()
					r := corpusWER(b, pool, clips, opts, telephone).Result()
					name := "wer-16k"
					if telephone {
						name = "wer-mulaw"
					}
					b.ReportMetric(r.WER, name)
					if !telephone {
						b.ReportMetric((transcribe.ProcessCPU().Seconds()-cpu0)/corpusSeconds(clips), "cpu-s/audio-s")
					}
				}
			})
		}
	}
}

func corpusSeconds(clips []speech.Clip) float64 {
	var s float64
	for _, c := range clips {
		s += c.Seconds()
	}
	return s
}

// BenchmarkPoolThroughput decodes the corpus with 1 and 2 workers (one
// thread each, greedy) and reports audio seconds transcribed per wall
// second.
func BenchmarkPoolThroughput(b *testing.B) {
	m := testModel(b)
	clips := testClips(b)
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			pool, err := transcribe.NewPool(m.Factory(), transcribe.PoolConfig{Workers: workers})
			if err != nil {
				b.Fatal(err)
			}
			defer pool.Close()
			opts := transcribe.Options{Language: "en", Threads: 1}
			t0 := time.Now()
			for i := 0; i < b.N; i++ {
				var wg sync.WaitGroup
				for _, c := range clips {
					wg.Add(1)
					go func() {
						defer wg.Done()
						if _, err := pool.Transcribe(context.Background(), c.Samples(), opts); err != nil {
							b.Error(err)
						}
					}()
				}
				wg.Wait()
			}
			b.ReportMetric(corpusSeconds(clips)*float64(b.N)/time.Since(t0).Seconds(), "audio-s/s")
		})
	}
}
