package container

import (
	"bytes"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/callscribe/callscribe/codec"
)

// encodeWith writes a as a WAV and encodes it with a Debian tool (lame,
// flac), which make installs; without it the test skips, unless
// CALLSCRIBE_REQUIRE_AUDIO_TOOLS is set (make test sets it).
func encodeWith(t *testing.T, a *codec.Audio, tool string, args ...string) []byte {
	t.Helper()
	path, err := exec.LookPath(tool)
	if err != nil {
		if os.Getenv("CALLSCRIBE_REQUIRE_AUDIO_TOOLS") != "" {
			t.Fatalf("%s missing: make test-packages installs it", tool)
		}
		t.Skipf("%s not installed (make test-packages)", tool)
	}
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.wav"), filepath.Join(dir, "out")
	var b bytes.Buffer
	if err := codec.WriteWAV(&b, a, codec.FormatPCM16); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(in, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(path, append(args, "-o", out, in)...)
	if tool == "lame" {
		cmd = exec.Command(path, append(args, in, out)...)
	}
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", tool, err, msg)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// tone is 2 s at rate: a 440 Hz tone on the left, silence on the right.
func tone(rate, channels int) *codec.Audio {
	a := &codec.Audio{SampleRate: rate}
	for c := range channels {
		ch := make([]float32, 2*rate)
		if c == 0 {
			for i := range ch {
				ch[i] = float32(0.5 * math.Sin(2*math.Pi*440*float64(i)/float64(rate)))
			}
		}
		a.Channels = append(a.Channels, ch)
	}
	return a
}

func energy(s []float32) float64 {
	var e float64
	for _, v := range s {
		e += float64(v) * float64(v)
	}
	return e / float64(max(len(s), 1))
}

// MP3 (LAME) and FLAC (libFLAC's encoder) at 44.1 kHz, stereo and mono,
// to 16 kHz: the channels stay apart (a mono MP3 stays one channel), the
// length and the tone's level survive.
func TestDecodeMP3AndFLAC(t *testing.T) {
	o := Options{Rate: 16000, MaxDuration: time.Minute}
	for name, c := range map[string]struct {
		f        Format
		channels int
		tool     string
		args     []string
	}{
		"MP3 stereo":  {MP3, 2, "lame", []string{"--quiet", "-b", "128"}},
		"MP3 mono":    {MP3, 1, "lame", []string{"--quiet", "-b", "64"}},
		"FLAC stereo": {FLAC, 2, "flac", []string{"--silent", "--force"}},
		"FLAC mono":   {FLAC, 1, "flac", []string{"--silent", "--force", "-8"}},
	} {
		data := encodeWith(t, tone(44100, c.channels), c.tool, c.args...)
		if got := Sniff(data); got != c.f {
			t.Fatalf("%s: sniffed %v", name, got)
		}
		a, err := Decode(data, c.f, o)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		// MP3 adds the encoder's delay and padding; FLAC is exact.
		if len(a.Channels) != c.channels || a.SampleRate != 16000 || a.Frames() < 32000 || a.Frames() > 32000+2000 {
			t.Fatalf("%s: %d channels, %d frames at %d Hz", name, len(a.Channels), a.Frames(), a.SampleRate)
		}
		// A sine of 0.5 has the energy 0.5²/2; LAME and go-mp3 between
		// them lose about 0.45 dB of it.
		if e := energy(a.Channels[0][4000:28000]); math.Abs(e-0.125) > 0.015 {
			t.Errorf("%s: left channel energy %.4f, want 0.125", name, e)
		}
		if c.channels == 2 && energy(a.Channels[1]) > 1e-5 {
			t.Errorf("%s: right channel energy %.6f", name, energy(a.Channels[1]))
		}
		o.Mix = true
		if m, err := Decode(data, c.f, o); err != nil || len(m.Channels) != 1 {
			t.Errorf("%s mixed: %v", name, err)
		}
		o.Mix = false
		if _, err := Decode(data[:len(data)/2], c.f, o); err != nil && name != "FLAC stereo" && name != "FLAC mono" {
			t.Errorf("%s cut in half: %v", name, err) // MP3 decodes what is there
		}
	}
}
