package vad

import (
	"fmt"
	"os"
)

// ModelEnv names the environment variable through which tests (and tools)
// find the Silero ONNX file when they are not given a path. See README.md for
// the package, version and path inside the wheel that the Makefile fetches.
const ModelEnv = "CALLSCRIBE_VAD_MODEL"

// Model holds the weights of the 16 kHz Silero VAD network. It is never
// written after Load, so any number of Detectors on any goroutines may share
// one Model.
type Model struct {
	w *weights
}

// Load reads the Silero VAD weights from an ONNX file. It accepts the files
// the silero-vad wheel ships (silero_vad.onnx, silero_vad_16k_op15.onnx,
// silero_vad_op18_ifless.onnx, silero_vad_16k_sequence.onnx) and
// faster-whisper's silero_vad_v6.onnx. The errors are those of os.ReadFile
// or the sentinels in errors.go, wrapped with the path.
func Load(path string) (*Model, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("vad: load model: %w", err)
	}
	m, err := parseModel(data)
	if err != nil {
		return nil, fmt.Errorf("vad: load model %s: %w", path, err)
	}
	return m, nil
}

// parseModel builds a Model from the bytes of an ONNX file. The weights are
// copied out, so data may be discarded afterwards.
func parseModel(data []byte) (*Model, error) {
	contents, err := readONNX(data)
	if err != nil {
		return nil, err
	}
	w, err := extractWeights(contents)
	if err != nil {
		return nil, err
	}
	return &Model{w: w}, nil
}

// NewDetector returns a Detector for one audio track, starting from silence:
// zero LSTM state and zero context.
func (m *Model) NewDetector() *Detector {
	return &Detector{w: m.w, s: newScratch()}
}
