package vulkantest

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/callscribe/callscribe/fixtures"
	"github.com/callscribe/callscribe/fixtures/speech"
	"github.com/callscribe/callscribe/transcribe"
	"github.com/callscribe/callscribe/transcribe/engine"
	"github.com/callscribe/callscribe/transcribe/wer"
)

// finalOptions are the service's defaults for final transcripts.
var finalOptions = transcribe.Options{Language: "en", BeamSize: 5, Threads: 1, AudioCtx: 512, RetryLoops: true}

// backendsDir is the folder of ggml's modules the tests load from.
func backendsDir() string { return os.Getenv("CALLSCRIBE_GGML_BACKENDS") }

// load loads the test model on dev.
func load(tb testing.TB, dev engine.Device) *engine.Model {
	tb.Helper()
	m, err := engine.Load(fixtures.ModelFile(tb, "CALLSCRIBE_MODEL", "ggml-tiny.en.bin"),
		engine.Config{BackendsDir: backendsDir(), Device: dev})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := m.Close(); err != nil {
			tb.Error(err)
		}
	})
	return m
}

// vulkanDevice returns the first Vulkan device ggml lists. Without one the
// test skips, or fails where CALLSCRIBE_REQUIRE_VULKAN=1 (make test).
func vulkanDevice(tb testing.TB) engine.DeviceInfo {
	tb.Helper()
	devs, err := engine.Devices(backendsDir())
	if err != nil {
		tb.Fatal(err)
	}
	for _, d := range devs {
		if d.Kind == engine.DeviceVulkan {
			return d
		}
	}
	msg := "no Vulkan device: set CALLSCRIBE_LAVAPIPE_ICD to lavapipe's ICD file (make does), or run on a GPU"
	if os.Getenv("CALLSCRIBE_REQUIRE_VULKAN") == "1" {
		tb.Fatal(msg)
	}
	tb.Skip(msg)
	return engine.DeviceInfo{}
}

// clips returns the named clips of the real-speech corpus.
func clips(tb testing.TB, names ...string) []speech.Clip {
	tb.Helper()
	dir, err := speech.Dir()
	if err != nil {
		tb.Fatal(err)
	}
	all, err := speech.Load(dir)
	if err != nil {
		tb.Fatal(err)
	}
	byName := map[string]speech.Clip{}
	for _, c := range all {
		byName[c.Name] = c
	}
	out := make([]speech.Clip, 0, len(names))
	for _, n := range names {
		c, ok := byName[n]
		if !ok {
			tb.Fatalf("clip %s not in the corpus", n)
		}
		out = append(out, c)
	}
	return out
}

// transcribeAll decodes the clips through the pool one after another, in
// order, and returns the tally and each clip's transcript and decode time.
func transcribeAll(tb testing.TB, pool *transcribe.Pool, cs []speech.Clip, opts transcribe.Options) (*wer.Tally, []string, []time.Duration) {
	tb.Helper()
	texts := make([]string, len(cs))
	took := make([]time.Duration, len(cs))
	var tally wer.Tally
	for i, c := range cs {
		t0 := time.Now()
		res, err := pool.Transcribe(context.Background(), c.Samples(), opts)
		took[i] = time.Since(t0)
		if err != nil {
			tb.Fatalf("%s: %v", c.Name, err)
		}
		texts[i] = res.Text()
		tally.Add(wer.Compute(c.Reference, texts[i]))
	}
	return &tally, texts, took
}
