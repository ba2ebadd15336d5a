package engine

import (
	"context"
	"testing"

	"github.com/callscribe/callscribe/transcribe"
)

// TestDecodeForgetsThePreviousOne decodes pieces of a clip on a fresh
// decoder and again on one that has just decoded other speech: the texts
// must be the same. The pool reuses a decoder across tracks and calls, so
// anything a decode keeps from the one before it can put another caller's
// words into a transcript. With whisper.cpp's flash attention on, the
// 0.5 s and 0.8 s pieces came out different (engine.Config.FlashAttention).
func TestDecodeForgetsThePreviousOne(t *testing.T) {
	m := testModel(t)
	before := clipByName(t, "LJ001-0001")
	short := clipByName(t, "LJ001-0008")
	decode := func(t *testing.T, warm []float32, samples []float32, opts transcribe.Options) string {
		t.Helper()
		d, err := m.NewDecoder()
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		if warm != nil {
			if _, err := d.Decode(context.Background(), warm, transcribe.Options{BeamSize: 1, Threads: 1}); err != nil {
				t.Fatal(err)
			}
		}
		res, err := d.Decode(context.Background(), samples, opts)
		if err != nil {
			t.Fatal(err)
		}
		return res.Text()
	}
	for _, audioCtx := range []int{transcribe.AudioCtxExact, transcribe.AudioCtxAuto} {
		for _, n := range []int{transcribe.SampleRate / 2, transcribe.SampleRate * 8 / 10} {
			// A partial's options: the ones with the least context.
			opts := transcribe.Options{BeamSize: 1, Threads: 1, AudioCtx: audioCtx, SingleSegment: true, NoFallback: true}
			fresh := decode(t, nil, short[:n], opts)
			after := decode(t, before, short[:n], opts)
			if fresh != after {
				t.Errorf("audio ctx %d, %d samples: %q on a fresh decoder, %q after another decode", audioCtx, n, fresh, after)
			}
		}
	}
}
