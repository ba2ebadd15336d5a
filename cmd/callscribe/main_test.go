package main

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/callscribe/callscribe/codec"
	"github.com/callscribe/callscribe/fixtures"
	"github.com/callscribe/callscribe/fixtures/speech"
	"github.com/callscribe/callscribe/transcribe"
	"github.com/callscribe/callscribe/transcribe/engine"
	"github.com/callscribe/callscribe/transcribe/wer"
)

// modelPath returns the Whisper model for the CLI tests.
func modelPath(t *testing.T) string {
	t.Helper()
	return fixtures.ModelFile(t, "CALLSCRIBE_MODEL", filepath.Base(defaultModel))
}

func corpus(tb testing.TB) map[string]speech.Clip {
	tb.Helper()
	dir, err := speech.Dir()
	if err != nil {
		tb.Skip(err)
	}
	clips, err := speech.Load(dir)
	if err != nil {
		tb.Fatal(err)
	}
	byName := map[string]speech.Clip{}
	for _, c := range clips {
		byName[c.Name] = c
	}
	return byName
}

// writeWAV writes channels at rate in format f to a temp file.
func writeWAV(t *testing.T, name string, rate int, f codec.Format, channels ...[]float32) string {
	t.Helper()
	n := 0
	for _, c := range channels {
		n = max(n, len(c))
	}
	a := &codec.Audio{SampleRate: rate}
	for _, c := range channels {
		padded := make([]float32, n)
		copy(padded, c)
		a.Channels = append(a.Channels, padded)
	}
	var buf bytes.Buffer
	if err := codec.WriteWAV(&buf, a, f); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func resampled(t *testing.T, s []float32, rate int) []float32 {
	t.Helper()
	out, err := codec.Resample(s, transcribe.SampleRate, rate)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

// TestTranscribeFormats runs the transcribe command on the formats a call
// recording arrives in and scores each transcript.
func TestTranscribeFormats(t *testing.T) {
	model := modelPath(t)
	clips := corpus(t)
	jfk, lj := clips["jfk"], clips["LJ001-0002"]
	cases := []struct {
		name string
		path string
	}{
		{"mulaw 8 kHz", writeWAV(t, "mulaw.wav", 8000, codec.FormatMulaw, resampled(t, jfk.Samples(), 8000))},
		{"alaw 8 kHz", writeWAV(t, "alaw.wav", 8000, codec.FormatAlaw, resampled(t, jfk.Samples(), 8000))},
		{"float32 44.1 kHz", writeWAV(t, "f32.wav", 44100, codec.FormatFloat32, resampled(t, jfk.Samples(), 44100))},
		{"pcm16 48 kHz", writeWAV(t, "pcm.wav", 48000, codec.FormatPCM16, resampled(t, jfk.Samples(), 48000))},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := runCLI(t, "transcribe", "--model", model, "--beam-size", "1", c.path)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			if r := wer.Compute(jfk.Reference, out); r.WER > 0.1 {
				t.Errorf("%v: %q", r, out)
			}
		})
	}

	t.Run("stereo labelled json", func(t *testing.T) {
		path := writeWAV(t, "stereo.wav", 16000, codec.FormatPCM16, jfk.Samples(), lj.Samples())
		code, out, errs := runCLI(t, "transcribe", "--model", model, "--beam-size", "1", "--json", path)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		var ft fileTranscript
		if err := json.Unmarshal([]byte(out), &ft); err != nil {
			t.Fatal(err)
		}
		if len(ft.Channels) != 2 || ft.Channels[0].Label != "left" || ft.Channels[1].Label != "right" {
			t.Fatalf("channels: %+v", ft.Channels)
		}
		for i, ref := range []string{jfk.Reference, lj.Reference} {
			ch := ft.Channels[i]
			if r := wer.Compute(ref, ch.Text); r.WER > 0.1 {
				t.Errorf("channel %d: %v: %q", i, r, ch.Text)
			}
			if len(ch.Words) == 0 || len(ch.Segments) == 0 || ch.Segments[0].End <= ch.Segments[0].Start {
				t.Errorf("channel %d: no words or segment times: %+v", i, ch.Segments)
			}
		}
	})
}

// TestTranscribeBadFiles checks that unusable input fails with one line.
func TestTranscribeBadFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	valid := writeWAV(t, "ok.wav", 8000, codec.FormatPCM16, make([]float32, 800))
	raw, err := os.ReadFile(valid)
	if err != nil {
		t.Fatal(err)
	}
	for name, path := range map[string]string{
		"missing":   filepath.Join(dir, "nope.wav"),
		"text":      write("notes.wav", []byte("hello, this is not audio\n")),
		"truncated": write("cut.wav", raw[:30]),
		"mp3 tag":   write("song.wav", append([]byte("ID3\x03\x00\x00\x00"), make([]byte, 100)...)),
	} {
		t.Run(name, func(t *testing.T) {
			code, out, errs := runCLI(t, "transcribe", "--model", "unused.bin", path)
			if code != 1 || out != "" {
				t.Fatalf("exit %d, stdout %q", code, out)
			}
			if strings.Count(strings.TrimSpace(errs), "\n") != 0 || !strings.HasPrefix(errs, "callscribe: ") {
				t.Errorf("stderr is not one line: %q", errs)
			}
		})
	}
	if code, _, errs := runCLI(t, "transcribe", "--model", filepath.Join(dir, "none.bin"), valid); code != 1 || !strings.Contains(errs, "make model") {
		t.Errorf("missing model: exit %d, %q", code, errs)
	}
	if code, _, errs := runCLI(t, "transcribe", "--workers", "0", valid); code != 1 || !strings.Contains(errs, "--workers") {
		t.Errorf("bad flag value: exit %d, %q", code, errs)
	}
	t.Setenv("CALLSCRIBE_BEAM_SIZE", "many")
	if code, _, errs := runCLI(t, "transcribe", valid); code != 1 || !strings.Contains(errs, "CALLSCRIBE_BEAM_SIZE") {
		t.Errorf("bad env value: exit %d, %q", code, errs)
	}
}

// TestFileEndpoint posts a WAV to the service's file endpoint over HTTP.
func TestFileEndpoint(t *testing.T) {
	model := modelPath(t)
	clips := corpus(t)
	m, err := engine.Load(model, engine.Config{BackendsDir: os.Getenv("CALLSCRIBE_GGML_BACKENDS")})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	pool, err := transcribe.NewPool(m.Factory(), transcribe.PoolConfig{Workers: runtime.NumCPU()})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	srv := httptest.NewServer(uploadHandler(pool, transcribe.Options{Language: "en"}, 8<<20, newLogger(os.Stderr, slog.LevelWarn)))
	defer srv.Close()

	body, err := os.ReadFile(writeWAV(t, "call.wav", 8000, codec.FormatMulaw, resampled(t, clips["jfk"].Samples(), 8000)))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(srv.URL+"/v1/transcribe", "audio/wav", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var ft fileTranscript
	if err := json.NewDecoder(resp.Body).Decode(&ft); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d, %v", resp.StatusCode, err)
	}
	if r := wer.Compute(clips["jfk"].Reference, ft.Channels[0].Text); r.WER > 0.1 {
		t.Errorf("%v: %q", r, ft.Channels[0].Text)
	}

	resp, err = http.Post(srv.URL+"/v1/transcribe", "audio/wav", strings.NewReader("garbage"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("garbage upload: status %d", resp.StatusCode)
	}
}
