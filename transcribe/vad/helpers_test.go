package vad

import (
	"bufio"
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/callscribe/callscribe/codec"
)

// defaultModel is where make model puts the Silero weights (fetched from
// PyPI, see testdata/README.md); ModelEnv overrides it.
const defaultModel = "../../models/silero_vad.onnx"

var (
	sharedModelOnce sync.Once
	sharedModel     *Model
	sharedModelErr  error
	sharedModelPath string
)

// testModel loads the model once per test binary, or skips the test with the
// reason when no model file is available.
func testModel(tb testing.TB) *Model {
	tb.Helper()
	sharedModelOnce.Do(func() {
		sharedModelPath = modelPath()
		sharedModel, sharedModelErr = Load(sharedModelPath)
	})
	if errors.Is(sharedModelErr, fs.ErrNotExist) && os.Getenv("CALLSCRIBE_REQUIRE_MODEL") != "1" {
		tb.Skipf("no Silero model at %s: set %s to a silero_vad ONNX file (see testdata/README.md)", sharedModelPath, ModelEnv)
	}
	if sharedModelErr != nil {
		tb.Fatal(sharedModelErr)
	}
	return sharedModel
}

// readWAV16 reads a mono 16 kHz WAV file with the project's codec.
func readWAV16(tb testing.TB, path string) []float32 {
	tb.Helper()
	a, err := codec.ReadWAVFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	if a.SampleRate != SampleRate || len(a.Channels) != 1 {
		tb.Fatalf("%s: %d Hz, %d channels; want %d Hz mono", path, a.SampleRate, len(a.Channels), SampleRate)
	}
	return a.Channels[0]
}

// readProbs reads one probability per line, skipping # comments.
func readProbs(tb testing.TB, path string) []float32 {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []float32
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		v, err := strconv.ParseFloat(line, 32)
		if err != nil {
			tb.Fatalf("%s: %v", path, err)
		}
		out = append(out, float32(v))
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

// maxAbsDiff compares two probability tracks window by window.
func maxAbsDiff(tb testing.TB, name string, got, want []float32) float64 {
	tb.Helper()
	if len(got) != len(want) {
		tb.Fatalf("%s: %d windows, reference has %d", name, len(got), len(want))
	}
	worst := 0.0
	for i := range got {
		worst = max(worst, math.Abs(float64(got[i]-want[i])))
	}
	return worst
}

func testdataPath(name string) string { return filepath.Join("testdata", name) }

// modelPath is the Silero file the tests use: $CALLSCRIBE_VAD_MODEL, else
// where make model puts it.
func modelPath() string {
	if p := os.Getenv(ModelEnv); p != "" {
		return p
	}
	return defaultModel
}
