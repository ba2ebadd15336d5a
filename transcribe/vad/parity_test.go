package vad

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// parityTolerance is the largest per-window difference from onnxruntime
// accepted. Measured differences are around 1e-6 (float32 summation order);
// a wrong gate order, padding or context breaks it by orders of magnitude.
const parityTolerance = 1e-4

// TestParityClip checks the committed onnxruntime reference for a clip of
// real speech followed by digital silence, faint noise and loud noise.
func TestParityClip(t *testing.T) {
	m := testModel(t)
	if os.Getenv(ModelEnv) != "" && !strings.HasSuffix(os.Getenv(ModelEnv), "silero_vad_16k_op15.onnx") {
		t.Skipf("%s names another model; the committed reference is for silero-vad 6.2.3 weights", ModelEnv)
	}
	audio := readWAV16(t, testdataPath("parity_clip.wav"))
	want := readProbs(t, testdataPath("parity_probs.txt"))
	got := m.NewDetector().Process(nil, audio)
	diff := maxAbsDiff(t, "parity_clip", got, want)
	t.Logf("%d windows, max |Go - onnxruntime| = %.2g", len(got), diff)
	if diff > parityTolerance {
		t.Errorf("max abs difference from onnxruntime %.3g > %g", diff, parityTolerance)
	}
}

// TestParityDir compares every WAV of a folder with references written by
// `gen_reference.py dir`. It runs only when CALLSCRIBE_VAD_PARITY_DIR names
// the folder of .probs files and CALLSCRIBE_VAD_PARITY_WAVS the WAVs (the
// project's shared speech), with CALLSCRIBE_VAD_MODEL naming the same model
// the references were made with.
func TestParityDir(t *testing.T) {
	refDir, wavDir := os.Getenv("CALLSCRIBE_VAD_PARITY_DIR"), os.Getenv("CALLSCRIBE_VAD_PARITY_WAVS")
	if refDir == "" || wavDir == "" {
		t.Skip("set CALLSCRIBE_VAD_PARITY_DIR and CALLSCRIBE_VAD_PARITY_WAVS to run (see testdata/README.md)")
	}
	m := testModel(t)
	refs, _ := filepath.Glob(filepath.Join(refDir, "*.probs"))
	if len(refs) == 0 {
		t.Fatalf("no .probs files in %s", refDir)
	}
	windows, worst := 0, 0.0
	for _, ref := range refs {
		name := strings.TrimSuffix(filepath.Base(ref), ".probs")
		got := m.NewDetector().Process(nil, readWAV16(t, filepath.Join(wavDir, name+".wav")))
		diff := maxAbsDiff(t, name, got, readProbs(t, ref))
		windows, worst = windows+len(got), max(worst, diff)
		t.Logf("%-14s %5d windows  max diff %.2g", name, len(got), diff)
	}
	t.Logf("all: %d windows, max |Go - onnxruntime| = %.2g", windows, worst)
	if worst > parityTolerance {
		t.Errorf("max abs difference from onnxruntime %.3g > %g", worst, parityTolerance)
	}
}
