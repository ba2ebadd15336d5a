package engine

import (
	"errors"
	"os"
	"sync"
	"testing"

	"github.com/callscribe/callscribe/fixtures"
	"github.com/callscribe/callscribe/fixtures/speech"
)

// testModelPath returns the Whisper model the tests use (see
// fixtures.ModelFile).
func testModelPath(tb testing.TB) string {
	tb.Helper()
	return fixtures.ModelFile(tb, "CALLSCRIBE_MODEL", "ggml-tiny.en.bin")
}

var (
	sharedModelOnce sync.Once
	sharedModel     *Model
	sharedModelErr  error
)

// testModel loads the model once for the whole test binary: the weights are
// read-only and shared, as in the service.
func testModel(tb testing.TB) *Model {
	tb.Helper()
	path := testModelPath(tb)
	sharedModelOnce.Do(func() {
		sharedModel, sharedModelErr = Load(path, Config{BackendsDir: os.Getenv("CALLSCRIBE_GGML_BACKENDS")})
	})
	if sharedModelErr != nil {
		tb.Fatal(sharedModelErr)
	}
	return sharedModel
}

// testClips loads the real-speech corpus, failing when the model is
// required (CI) and skipping otherwise.
func testClips(tb testing.TB) []speech.Clip {
	tb.Helper()
	dir, err := speech.Dir()
	if err == nil {
		var clips []speech.Clip
		if clips, err = speech.Load(dir); err == nil {
			return clips
		}
	}
	if errors.Is(err, speech.ErrNoCorpus) && os.Getenv("CALLSCRIBE_REQUIRE_MODEL") != "1" {
		tb.Skip(err)
	}
	tb.Fatal(err)
	return nil
}
