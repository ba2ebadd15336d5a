package codec

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/callscribe/callscribe/fixtures"
)

// openSpeech opens a recording from the project's shared speech folder,
// which sits beside the repository checkout.
func openSpeech(t *testing.T, name string) *os.File {
	t.Helper()
	dir, err := fixtures.SpeechDir()
	if err != nil {
		t.Skip(err)
	}
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// TestTelephonyRoundTripSNR takes real speech through what a phone call
// does to it, 16 kHz -> 8 kHz -> G.711 -> 8 kHz -> 16 kHz, and compares the
// result with the same speech band-limited without G.711 (16 -> 8 -> 16
// kHz), so the difference is the companding noise alone.
func TestTelephonyRoundTripSNR(t *testing.T) {
	a, err := ReadWAV(openSpeech(t, "jfk.wav"))
	if err != nil {
		t.Fatal(err)
	}
	if a.SampleRate != 16000 || len(a.Channels) != 1 || a.Frames() != 176000 {
		t.Fatalf("jfk.wav: %d Hz, %d channels, %d frames; want 16000 Hz mono of 11 s", a.SampleRate, len(a.Channels), a.Frames())
	}
	x := a.Channels[0]
	narrow, err := Resample(x, 16000, 8000)
	if err != nil {
		t.Fatal(err)
	}
	ref, _ := Resample(narrow, 8000, 16000)
	if len(ref) != len(x) {
		t.Fatalf("16->8->16 kHz gave %d samples from %d", len(ref), len(x))
	}
	// Speech lives mostly below 4 kHz: band-limiting must keep nearly all
	// of its energy, and must remove something.
	kept := energy(ref) / energy(x)
	t.Logf("band-limited to 4 kHz keeps %.2f%% of the energy", 100*kept)
	if kept < 0.95 || kept >= 1 {
		t.Errorf("band-limiting kept %.4f of the energy, want 0.95..1", kept)
	}

	for _, c := range g711Codecs {
		phone := c.decode(nil, c.encode(nil, narrow))
		y, _ := Resample(phone, 8000, 16000)
		var noise float64
		for i := range ref {
			d := float64(y[i] - ref[i])
			noise += d * d
		}
		snr := 10 * math.Log10(energy(ref)/noise)
		t.Logf("%s round trip: SNR %.1f dB against the 4 kHz band-limited original", c.name, snr)
		if snr < 30 || snr > 42 {
			t.Errorf("%s round trip SNR %.1f dB, want 30..42 dB (G.711 gives about 35-38)", c.name, snr)
		}
	}
}

func energy(x []float32) float64 {
	var e float64
	for _, v := range x {
		e += float64(v) * float64(v)
	}
	return e
}
