package codec

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

var writeFormats = []Format{FormatPCM16, FormatFloat32, FormatMulaw, FormatAlaw}

func randomAudio(rate, channels, frames int) *Audio {
	rng := rand.New(rand.NewPCG(uint64(rate), uint64(frames)))
	a := &Audio{SampleRate: rate, Channels: make([][]float32, channels)}
	for c := range a.Channels {
		a.Channels[c] = make([]float32, frames)
		for i := range a.Channels[c] {
			a.Channels[c][i] = rng.Float32()*2.2 - 1.1 // some beyond full scale
		}
	}
	return a
}

// TestWriteWAVRoundTrip writes every format and reads it back: float32
// exactly, PCM16 to the nearest step, G.711 as its own codec would.
func TestWriteWAVRoundTrip(t *testing.T) {
	for _, f := range writeFormats {
		for _, channels := range []int{1, 2, 5} {
			a := randomAudio(8000, channels, 1001) // odd: G.711 mono needs a pad byte
			var buf bytes.Buffer
			if err := WriteWAV(&buf, a, f); err != nil {
				t.Fatalf("%v: %v", f, err)
			}
			if buf.Len()%2 != 0 || int(binary.LittleEndian.Uint32(buf.Bytes()[4:])) != buf.Len()-8 {
				t.Errorf("%v: RIFF size %d for a file of %d bytes", f, binary.LittleEndian.Uint32(buf.Bytes()[4:]), buf.Len())
			}
			got, err := ReadWAV(&buf)
			if err != nil {
				t.Fatalf("%v x%d: reading back: %v", f, channels, err)
			}
			if got.SampleRate != a.SampleRate || len(got.Channels) != channels || got.Frames() != a.Frames() {
				t.Fatalf("%v: read back %d Hz, %d channels of %d, want %d, %d of %d", f,
					got.SampleRate, len(got.Channels), got.Frames(), a.SampleRate, channels, a.Frames())
			}
			for c, ch := range a.Channels {
				if want := expectedAfterWrite(ch, f); !equalChannels([][]float32{got.Channels[c]}, [][]float32{want}) {
					t.Errorf("%v: channel %d does not read back as written", f, c)
				}
			}
		}
	}
}

// expectedAfterWrite is what samples become once stored as f.
func expectedAfterWrite(x []float32, f Format) []float32 {
	switch f {
	case FormatFloat32:
		return x
	case FormatMulaw:
		return DecodeMulaw(nil, EncodeMulaw(nil, x))
	case FormatAlaw:
		return DecodeAlaw(nil, EncodeAlaw(nil, x))
	}
	out := make([]float32, len(x))
	for i, v := range x {
		out[i] = float32(math.Round(min(max(float64(v)*32768, -32768), 32767))) / 32768
	}
	return out
}

// TestWriteWAVHeaders checks the fmt and fact chunks byte by byte against
// the layout of the WAVE specification.
func TestWriteWAVHeaders(t *testing.T) {
	a := randomAudio(8000, 2, 7)
	cases := []struct {
		f          Format
		tag, bits  uint16
		fmtSize    uint32
		hasFact    bool
		dataOffset int
	}{
		{FormatPCM16, tagPCM, 16, 16, false, 36},
		{FormatFloat32, tagFloat, 32, 18, true, 50},
		{FormatMulaw, tagMulaw, 8, 18, true, 50},
		{FormatAlaw, tagAlaw, 8, 18, true, 50},
	}
	le := binary.LittleEndian
	for _, c := range cases {
		var buf bytes.Buffer
		if err := WriteWAV(&buf, a, c.f); err != nil {
			t.Fatal(err)
		}
		b := buf.Bytes()
		block := 2 * uint16(c.bits/8)
		if string(b[8:16]) != "WAVEfmt " || le.Uint32(b[16:]) != c.fmtSize || le.Uint16(b[20:]) != c.tag ||
			le.Uint16(b[22:]) != 2 || le.Uint32(b[24:]) != 8000 || le.Uint32(b[28:]) != 8000*uint32(block) ||
			le.Uint16(b[32:]) != block || le.Uint16(b[34:]) != c.bits {
			t.Errorf("%v: bad fmt chunk % X", c.f, b[:36])
		}
		if c.hasFact && (le.Uint16(b[36:]) != 0 || string(b[38:42]) != "fact" || le.Uint32(b[42:]) != 4 || le.Uint32(b[46:]) != 7) {
			t.Errorf("%v: want cbSize 0 and a fact chunk of 7 frames, got % X", c.f, b[36:50])
		}
		if string(b[c.dataOffset:c.dataOffset+4]) != "data" || le.Uint32(b[c.dataOffset+4:]) != 7*uint32(block) {
			t.Errorf("%v: bad data chunk header % X", c.f, b[c.dataOffset:c.dataOffset+8])
		}
	}
}

type failingWriter struct{ after int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.after -= len(p); w.after < 0 {
		return 0, errors.New("pipe closed")
	}
	return len(p), nil
}

func TestWriteWAVErrors(t *testing.T) {
	ok := randomAudio(8000, 1, 10)
	cases := []struct {
		name string
		a    *Audio
		f    Format
		want error
	}{
		{"nil", nil, FormatPCM16, ErrInvalidAudio},
		{"no channels", &Audio{SampleRate: 8000}, FormatPCM16, ErrInvalidAudio},
		{"zero rate", &Audio{Channels: ok.Channels}, FormatPCM16, ErrInvalidAudio},
		{"ragged", &Audio{SampleRate: 8000, Channels: [][]float32{{1, 2}, {1}}}, FormatPCM16, ErrInvalidAudio},
		{"unknown format", ok, Format(99), ErrUnsupportedFormat},
		{"too many channels", &Audio{SampleRate: 8000, Channels: make([][]float32, 40000)}, FormatPCM16, ErrTooLarge},
		{"byte rate overflow", &Audio{SampleRate: math.MaxInt32, Channels: make([][]float32, 4)}, FormatFloat32, ErrTooLarge},
	}
	for _, c := range cases {
		if err := WriteWAV(&bytes.Buffer{}, c.a, c.f); !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
		}
	}
	for _, after := range []int{0, 50, 60} {
		if err := WriteWAV(&failingWriter{after: after}, ok, FormatMulaw); err == nil {
			t.Errorf("writer failing after %d bytes: no error", after)
		}
	}
}

func TestFormatString(t *testing.T) {
	names := map[string]bool{}
	for _, f := range append(writeFormats, Format(0)) {
		names[f.String()] = true
	}
	if len(names) != len(writeFormats)+1 {
		t.Errorf("format names are not distinct: %v", names)
	}
}

func TestAudioResampled(t *testing.T) {
	a := &Audio{SampleRate: 8000, Channels: [][]float32{tone(800, 440, 8000, 0.5), tone(800, 1500, 8000, 0.25)}}
	orig := [][]float32{append([]float32(nil), a.Channels[0]...), append([]float32(nil), a.Channels[1]...)}
	b, err := a.Resampled(16000)
	if err != nil {
		t.Fatal(err)
	}
	if b.SampleRate != 16000 || len(b.Channels) != 2 || b.Duration() != a.Duration() {
		t.Fatalf("got %d Hz, %d channels, %v; want 16000 Hz, 2, %v", b.SampleRate, len(b.Channels), b.Duration(), a.Duration())
	}
	for c := range a.Channels {
		want, _ := Resample(orig[c], 8000, 16000)
		if !equalChannels([][]float32{b.Channels[c]}, [][]float32{want}) {
			t.Errorf("channel %d differs from resampling it alone", c)
		}
	}
	if !equalChannels(a.Channels, orig) {
		t.Error("Resampled modified its receiver")
	}
	if _, err := a.Resampled(0); !errors.Is(err, ErrInvalidRate) {
		t.Errorf("Resampled(0): %v, want ErrInvalidRate", err)
	}
	if _, err := (&Audio{SampleRate: 8000}).Resampled(16000); !errors.Is(err, ErrInvalidAudio) {
		t.Errorf("Resampled of no channels: %v, want ErrInvalidAudio", err)
	}
}
