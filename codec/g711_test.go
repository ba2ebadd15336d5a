package codec

import (
	"math"
	"testing"
)

type g711Codec struct {
	name   string
	decode func([]float32, []byte) []float32
	encode func([]byte, []float32) []byte
}

var g711Codecs = []g711Codec{
	{"mulaw", DecodeMulaw, EncodeMulaw},
	{"alaw", DecodeAlaw, EncodeAlaw},
}

func TestG711KnownCodeWords(t *testing.T) {
	// Values from the G.711 tables, in int16 units. mu-law stores every
	// bit inverted; A-law inverts the even bits (XOR 0x55).
	cases := []struct {
		decode func([]float32, []byte) []float32
		code   byte
		want   int
	}{
		{DecodeMulaw, 0xFF, 0}, {DecodeMulaw, 0x7F, 0},
		{DecodeMulaw, 0x80, 32124}, {DecodeMulaw, 0x00, -32124},
		{DecodeMulaw, 0xFE, 8}, {DecodeMulaw, 0x7E, -8},
		{DecodeAlaw, 0xD5, 8}, {DecodeAlaw, 0x55, -8},
		{DecodeAlaw, 0xAA, 32256}, {DecodeAlaw, 0x2A, -32256},
	}
	for _, c := range cases {
		got := c.decode(nil, []byte{c.code})
		if want := float32(c.want) / 32768; len(got) != 1 || got[0] != want {
			t.Errorf("decode 0x%02X = %v, want %v", c.code, got, want)
		}
	}
}

func TestG711DecodeRangeAndSymmetry(t *testing.T) {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	for _, c := range g711Codecs {
		vals := c.decode(nil, all)
		for i, v := range vals {
			if v < -1 || v >= 1 {
				t.Errorf("%s: 0x%02X decodes to %v, outside [-1, 1)", c.name, i, v)
			}
			// The top bit is the sign in both laws.
			if mirror := vals[i^0x80]; mirror != -v {
				t.Errorf("%s: 0x%02X -> %v but 0x%02X -> %v", c.name, i, v, i^0x80, mirror)
			}
		}
	}
}

// TestG711RoundTrip checks that every decoded level encodes back to itself
// and that arbitrary samples come back within half a quantisation step.
func TestG711RoundTrip(t *testing.T) {
	for _, c := range g711Codecs {
		all := make([]byte, 256)
		for i := range all {
			all[i] = byte(i)
		}
		levels := c.decode(nil, all)
		again := c.decode(nil, c.encode(nil, levels))
		for i := range levels {
			if again[i] != levels[i] {
				t.Errorf("%s: level %v (0x%02X) re-encodes to %v", c.name, levels[i], i, again[i])
			}
		}

		ramp := make([]float32, 65536)
		for i := range ramp {
			ramp[i] = float32(i-32768) / 32768
		}
		out := c.decode(nil, c.encode(nil, ramp))
		for i, x := range ramp {
			// Steps grow with level: under 3.2% of it, and 16 units in
			// the finest A-law segment.
			tol := 0.032*math.Abs(float64(x)) + 8.5/32768
			if e := math.Abs(float64(out[i] - x)); e > tol {
				t.Fatalf("%s: %v comes back as %v, error %v > %v", c.name, x, out[i], e, tol)
			}
			if i > 0 && out[i] < out[i-1] {
				t.Fatalf("%s: not monotonic at %v: %v < %v", c.name, x, out[i], out[i-1])
			}
		}
	}
}

func TestG711EncodeClipsAndHandlesNaN(t *testing.T) {
	nan := float32(math.NaN())
	for _, c := range g711Codecs {
		got := c.encode(nil, []float32{5, 1, -1, -7, nan, 0})
		ref := c.encode(nil, []float32{0.99999, 0.99999, -1, -1, 0, 0})
		if string(got) != string(ref) {
			t.Errorf("%s: encode(5, 1, -1, -7, NaN, 0) = % X, want % X", c.name, got, ref)
		}
	}
}

// TestG711SineSQNR measures the quantisation noise on a loud sine: G.711
// is specified at about 38 dB SQNR there.
func TestG711SineSQNR(t *testing.T) {
	x := tone(8000, 1011, 8000, 0.7)
	for _, c := range g711Codecs {
		y := c.decode(nil, c.encode(nil, x))
		var sig, noise float64
		for i := range x {
			sig += float64(x[i]) * float64(x[i])
			d := float64(y[i] - x[i])
			noise += d * d
		}
		snr := 10 * math.Log10(sig/noise)
		t.Logf("%s: sine SQNR %.1f dB", c.name, snr)
		if snr < 35 || snr > 42 {
			t.Errorf("%s: sine SQNR %.1f dB, want 35..42", c.name, snr)
		}
	}
}

func TestG711AppendsWithoutAllocating(t *testing.T) {
	frame := make([]byte, 160)
	samples := tone(160, 440, 8000, 0.5)
	for _, c := range g711Codecs {
		dst := c.decode([]float32{0.25}, []byte{0xFF, 0xFF})
		if len(dst) != 3 || dst[0] != 0.25 {
			t.Errorf("%s: decode did not append after the prefix: %v", c.name, dst)
		}
		fbuf := make([]float32, 0, 160)
		bbuf := make([]byte, 0, 160)
		allocs := testing.AllocsPerRun(100, func() {
			fbuf = c.decode(fbuf[:0], frame)
			bbuf = c.encode(bbuf[:0], samples)
		})
		if allocs != 0 {
			t.Errorf("%s: %.1f allocations per frame with capacity", c.name, allocs)
		}
	}
}
