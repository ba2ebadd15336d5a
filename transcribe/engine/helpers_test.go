package engine

import (
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/callscribe/callscribe/fixtures/speech"
)

// testModelPath returns the model the tests use: $CALLSCRIBE_MODEL, else the
// one make model builds. Without a model the tests skip, unless
// CALLSCRIBE_REQUIRE_MODEL=1 (make test sets it): then they fail, so CI can
// never pass by skipping the real inference.
func testModelPath(t testing.TB) string {
	t.Helper()
	p := os.Getenv("CALLSCRIBE_MODEL")
	if p == "" {
		p = filepath.Join("..", "..", "models", "ggml-tiny.en.bin")
	}
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CALLSCRIBE_REQUIRE_MODEL") == "1" {
			t.Fatalf("model required but missing: %v", err)
		}
		t.Skipf("no model (%v): run make model or set CALLSCRIBE_MODEL", err)
	}
	return p
}

var (
	sharedModelOnce sync.Once
	sharedModel     *Model
	sharedModelErr  error
)

// testModel loads the model once for the whole test binary: the weights are
// read-only and shared, as in the service.
func testModel(t testing.TB) *Model {
	t.Helper()
	path := testModelPath(t)
	sharedModelOnce.Do(func() {
		sharedModel, sharedModelErr = Load(path, LoadOptions{BackendsDir: os.Getenv("CALLSCRIBE_GGML_BACKENDS"), FlashAttention: true})
	})
	if sharedModelErr != nil {
		t.Fatal(sharedModelErr)
	}
	return sharedModel
}

// testClips loads the real-speech corpus, failing when the model is
// required (CI) and skipping otherwise.
func testClips(t testing.TB) []speech.Clip {
	t.Helper()
	dir, err := speech.Dir()
	if err == nil {
		var clips []speech.Clip
		if clips, err = speech.Load(dir); err == nil {
			return clips
		}
	}
	if errors.Is(err, speech.ErrNoCorpus) && os.Getenv("CALLSCRIBE_REQUIRE_MODEL") != "1" {
		t.Skip(err)
	}
	t.Fatal(err)
	return nil
}
