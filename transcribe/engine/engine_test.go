package engine

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/callscribe/callscribe/codec"
	"github.com/callscribe/callscribe/fixtures/speech"
	"github.com/callscribe/callscribe/transcribe"
	"github.com/callscribe/callscribe/transcribe/wer"
)

func clipByName(t *testing.T, name string) []float32 {
	t.Helper()
	for _, c := range testClips(t) {
		if c.Name == name {
			return c.Samples()
		}
	}
	t.Fatalf("clip %s not in corpus", name)
	return nil
}

func TestLoadRejectsBadModelFiles(t *testing.T) {
	good := testModelPath(t)
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	head := func(n int64) []byte {
		f, err := os.Open(good)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		b, err := io.ReadAll(io.LimitReader(f, n))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	wav, err := os.ReadFile(filepath.Join(testClipsDir(t), "jfk.wav"))
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		"missing":          filepath.Join(dir, "nope.bin"),
		"empty":            write("empty.bin", nil),
		"header only":      write("header.bin", head(40)),
		"cut in vocab":     write("vocab.bin", head(200_000)),
		"cut in tensors":   write("tensors.bin", head(20_000_000)),
		"a wav file":       write("jfk.bin", wav),
		"text":             write("text.bin", []byte("not a model\n")),
		"last byte gone":   write("short.bin", head(fileSize(t, good)-1)),
		"directory":        dir,
		"ggml magic, junk": write("junk.bin", append([]byte{0x6c, 0x6d, 0x67, 0x67}, make([]byte, 4096)...)),
	}
	for name, path := range cases {
		t.Run(name, func(t *testing.T) {
			m, err := Load(path, Config{})
			if err == nil {
				m.Close()
				t.Fatal("loaded a bad model file")
			}
			if !errors.Is(err, ErrModel) {
				t.Fatalf("err = %v, want ErrModel", err)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans lines: %q", err)
			}
		})
	}
}

func testClipsDir(t *testing.T) string {
	t.Helper()
	testClips(t)
	dir, err := speech.Dir()
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func fileSize(t *testing.T, p string) int64 {
	t.Helper()
	st, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}

func TestDecodeTokensAndWords(t *testing.T) {
	m := testModel(t)
	d, err := m.NewDecoder()
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	samples := clipByName(t, "jfk")
	res, err := d.Decode(context.Background(), samples, transcribe.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r := wer.Compute("And so my fellow Americans ask not what your country can do for you ask what you can do for your country", res.Text()); r.WER > 0.05 {
		t.Fatalf("jfk: %v: %q", r, res.Text())
	}
	if res.Language != "en" {
		t.Errorf("language %q", res.Language)
	}
	words := res.Words()
	if len(words) < 20 {
		t.Fatalf("%d words", len(words))
	}
	prev := 0.0
	for i, w := range words {
		if w.Start < prev-0.5 || w.End < w.Start || w.End > res.Duration {
			t.Errorf("word %d %+v out of order or range (prev start %.2f, duration %.2f)", i, w, prev, res.Duration)
		}
		if w.Confidence <= 0 || w.Confidence > 1 {
			t.Errorf("word %d confidence %v", i, w.Confidence)
		}
		prev = w.Start
	}
	// The speech starts after about 0.3 s and the last word ends near 10.5 s
	// of the 11 s clip.
	if words[0].Start > 1.5 || words[len(words)-1].End < 9 {
		t.Errorf("word times span %.2f..%.2f", words[0].Start, words[len(words)-1].End)
	}
}

func TestDecodeCancel(t *testing.T) {
	m := testModel(t)
	d, err := m.NewDecoder()
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	samples := clipByName(t, "sonnet1")

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := d.Decode(ctx, samples, transcribe.Options{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled before start: err = %v", err)
	}

	// Cancel once the encoder is running: the abort callback stops it.
	ctx, cancel = context.WithCancel(context.Background())
	go func() {
		for !d.encoderStarted() {
			runtime.Gosched()
		}
		cancel()
	}()
	_, err = d.Decode(ctx, samples, transcribe.Options{BeamSize: 5})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled mid-decode: err = %v", err)
	}
	// The decoder stays usable after an abort.
	res, err := d.Decode(context.Background(), clipByName(t, "LJ001-0002"), transcribe.Options{})
	if err != nil || !strings.Contains(strings.ToLower(res.Text()), "modern") {
		t.Fatalf("after abort: %q, %v", res.Text(), err)
	}
}

func TestDecodeRejectsBadInput(t *testing.T) {
	m := testModel(t)
	d, err := m.NewDecoder()
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	nan := []float32{0, 0, float32(zero() / zero())}
	for name, s := range map[string][]float32{"empty": nil, "nan": nan} {
		if _, err := d.Decode(context.Background(), s, transcribe.Options{}); !errors.Is(err, ErrInput) {
			t.Errorf("%s: err = %v, want ErrInput", name, err)
		}
	}
	if _, err := d.Decode(context.Background(), make([]float32, 16000), transcribe.Options{Language: "de"}); !errors.Is(err, ErrLanguage) {
		t.Errorf("German on an English-only model: err = %v", err)
	}
	// A second of silence decodes without error and yields no words.
	res, err := d.Decode(context.Background(), make([]float32, 16000), transcribe.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(wer.Normalize(res.Text())); n > 0 {
		t.Errorf("silence gave %d words: %q", n, res.Text())
	}
}

func zero() float64 { return 0 }

// TestDecodersRunConcurrently decodes different clips on two decoders at
// once and checks each result equals the same decode run alone: states
// share the weights and nothing else.
func TestDecodersRunConcurrently(t *testing.T) {
	m := testModel(t)
	names := []string{"LJ001-0001", "LJ001-0003"}
	decs := make([]*Decoder, len(names))
	alone := make([]string, len(names))
	for i, n := range names {
		var err error
		if decs[i], err = m.NewDecoder(); err != nil {
			t.Fatal(err)
		}
		defer decs[i].Close()
		res, err := decs[i].Decode(context.Background(), clipByName(t, n), transcribe.Options{})
		if err != nil {
			t.Fatal(err)
		}
		alone[i] = res.Text()
	}
	together := make([]string, len(names))
	var wg sync.WaitGroup
	for i, n := range names {
		samples := clipByName(t, n)
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := decs[i].Decode(context.Background(), samples, transcribe.Options{})
			if err != nil {
				t.Error(err)
				return
			}
			together[i] = res.Text()
		}()
	}
	wg.Wait()
	for i := range names {
		if together[i] != alone[i] {
			t.Errorf("%s: concurrent %q != alone %q", names[i], together[i], alone[i])
		}
	}
	if err := m.Close(); !errors.Is(err, ErrInUse) {
		t.Errorf("closing a model with open decoders: err = %v", err)
	}
}

func TestAudioCtxFor(t *testing.T) {
	const full = 1500
	sec := func(s float64) int { return int(s * transcribe.SampleRate) }
	cases := []struct {
		name             string
		samples, request int
		want             int
	}{
		{"full stays full", sec(2), 0, 0},
		{"auto: 2 s is 101 frames, +64 margin, rounded up to 64", sec(2), transcribe.AudioCtxAuto, 192},
		{"auto near 30 s is the full window", sec(29), transcribe.AudioCtxAuto, 0},
		{"exact: no margin", sec(2), transcribe.AudioCtxExact, 101},
		{"exact at 30 s is the full window", sec(30), transcribe.AudioCtxExact, 0},
		{"a number is a floor for short clips", sec(2), 512, 512},
		{"a number never cuts a longer clip", sec(20), 512, 1088},
		{"a number at or above the window is full", sec(2), 1500, 0},
	}
	for _, c := range cases {
		if got := audioCtxFor(c.samples, c.request, full); got != c.want {
			t.Errorf("%s: audioCtxFor(%d, %d) = %d, want %d", c.name, c.samples, c.request, got, c.want)
		}
	}
}

func TestLoopRetries(t *testing.T) {
	const full = 1500
	sec := func(s float64) int { return int(s * transcribe.SampleRate) }
	cases := []struct {
		name             string
		samples, request int
		want             []int
	}{
		{"a short clip: 512 frames, then the full window", sec(2), 128, []int{512, 0}},
		{"sized to the clip: the same", sec(2), transcribe.AudioCtxAuto, []int{512, 0}},
		{"a clip past 512 frames: the full window", sec(12), transcribe.AudioCtxAuto, []int{0}},
		{"the full window already: nothing", sec(2), 0, nil},
		{"a clip near the window's length: the full window", sec(29), transcribe.AudioCtxExact, []int{0}},
	}
	for _, c := range cases {
		if got := loopRetries(c.samples, c.request, full); !slices.Equal(got, c.want) {
			t.Errorf("%s: loopRetries(%d, %d) = %v, want %v", c.name, c.samples, c.request, got, c.want)
		}
	}
}

// TestRetryLoops decodes the agent's greeting ("Thank you for calling
// Northwind Support. My name is Daniel.") as a phone delivers it, on a
// fresh decoder with an encoder context sized to the clip: tiny.en then
// says the two sentences twice. With RetryLoops the engine sees the repeat
// and decodes again, with 512 frames and, if that loops too, the full
// window.
func TestRetryLoops(t *testing.T) {
	m := testModel(t)
	a, err := codec.ReadWAVFile(filepath.Join("..", "..", "fixtures", "calls", "agent-1.wav"))
	if err != nil {
		t.Fatal(err)
	}
	phone, err := speech.Telephone(a.Channels[0], a.SampleRate)
	if err != nil {
		t.Fatal(err)
	}
	pad := make([]float32, 3*transcribe.SampleRate/10)
	clip := slices.Concat(pad, phone, pad)
	opts := transcribe.Options{Language: "en", BeamSize: 5, AudioCtx: transcribe.AudioCtxAuto, Prompt: "Thank you."}

	// A beam-search decode depends a little on what its state decoded
	// before, so each run gets a fresh decoder.
	decode := func(opts transcribe.Options) transcribe.Result {
		d, err := m.NewDecoder()
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		res, err := d.Decode(context.Background(), clip, opts)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	looped := decode(opts)
	if !looped.RepeatsPhrase() || looped.Redecoded {
		t.Fatalf("without the retry: %q (redecoded %v); this test needs the loop the pinned whisper.cpp shows here", looped.Text(), looped.Redecoded)
	}
	opts.RetryLoops = true
	fixed := decode(opts)
	if !fixed.Redecoded || fixed.RepeatsPhrase() {
		t.Errorf("with the retry: %q (redecoded %v), want a decode again without a repeat", fixed.Text(), fixed.Redecoded)
	}
	ref := "Thank you for calling Northwind Support. My name is Daniel."
	if r := wer.Compute(ref, fixed.Text()); r.WER > 0.2 {
		t.Errorf("with the retry: %q: %v", fixed.Text(), r)
	}
	t.Logf("sized context: %q; after the retry: %q", looped.Text(), fixed.Text())
}
