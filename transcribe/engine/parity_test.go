package engine

import (
	"encoding/json"
	"os"
	"runtime"
	"testing"

	"github.com/callscribe/callscribe/transcribe"
	"github.com/callscribe/callscribe/transcribe/wer"
)

// fwHypotheses is what testdata/fw_parity.py writes.
type fwHypotheses struct {
	Engine       string            `json:"engine"`
	ComputeType  string            `json:"compute_type"`
	Clips        map[string]string `json:"clips"`
	CPUSeconds   float64           `json:"cpu_seconds"`
	AudioSeconds float64           `json:"audio_seconds"`
}

// TestParityWithFasterWhisper compares the converted ggml model with the
// same CTranslate2 weights run by faster-whisper (greedy, no VAD), scored
// by the same normaliser: the conversion must not cost more than one point
// of WER. make test produces the faster-whisper transcripts
// ($CALLSCRIBE_FW_HYPS); without them the test skips unless required.
func TestParityWithFasterWhisper(t *testing.T) {
	path := os.Getenv("CALLSCRIBE_FW_HYPS")
	if path == "" {
		if os.Getenv("CALLSCRIBE_REQUIRE_MODEL") == "1" {
			t.Fatal("CALLSCRIBE_FW_HYPS not set: make test runs faster-whisper first")
		}
		t.Skip("CALLSCRIBE_FW_HYPS not set (make parity)")
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var fw fwHypotheses
	if err := json.Unmarshal(raw, &fw); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	m := testModel(t)
	clips := testClips(t)
	var fwTally wer.Tally
	for _, c := range clips {
		hyp, ok := fw.Clips[c.Name]
		if !ok {
			t.Fatalf("faster-whisper output lacks %s", c.Name)
		}
		fwTally.Add(wer.Compute(c.Reference, hyp))
	}
	pool, err := transcribe.NewPool(m.Factory(), transcribe.PoolConfig{Workers: runtime.NumCPU()})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	greedy := transcribe.Options{Language: "en", BeamSize: 1, Threads: 1}
	ours := corpusWER(t, pool, clips, greedy, false).Result()
	theirs := fwTally.Result()
	t.Logf("greedy, no VAD, %d clips: ggml %s (%s) WER %.3f; faster-whisper %s WER %.3f (%.3f CPU-s per audio-s)",
		len(clips), m.Info().WeightType, m.Path(), ours.WER, fw.ComputeType, theirs.WER, fw.CPUSeconds/fw.AudioSeconds)
	if ours.WER > theirs.WER+0.01 {
		t.Errorf("converted model WER %.3f is more than 1 point above faster-whisper's %.3f", ours.WER, theirs.WER)
	}
}
