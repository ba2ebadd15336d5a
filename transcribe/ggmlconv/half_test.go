package ggmlconv

import (
	"math"
	"testing"
)

func TestFloatToHalf(t *testing.T) {
	cases := []struct {
		f    float32
		want uint16
	}{
		{0, 0x0000},
		{float32(math.Copysign(0, -1)), 0x8000},
		{1, 0x3c00},
		{-2, 0xc000},
		{0.5, 0x3800},
		{65504, 0x7bff},                          // largest half
		{65520, 0x7c00},                          // halfway to the next binade rounds up to infinity
		{1 + 1.0/2048, 0x3c00},                   // tie between 1 and 1+2^-10: to even
		{1 + 3.0/2048, 0x3c02},                   // tie between 1+2^-10 and 1+2^-9: to even
		{1 + 1.0/2048 + 1.0/65536, 0x3c01},       // just above the tie
		{float32(math.Ldexp(1, -24)), 0x0001},    // smallest subnormal
		{float32(math.Ldexp(1, -25)), 0x0000},    // tie with zero: to even
		{float32(math.Ldexp(3, -25)), 0x0002},    // tie between 1 and 2 subnormal steps: to even
		{float32(math.Ldexp(1, -14)), 0x0400},    // smallest normal
		{float32(math.Ldexp(1023, -24)), 0x03ff}, // largest subnormal
		{float32(math.Ldexp(2047, -25)), 0x0400}, // rounds up from subnormal into normal
		{float32(math.Inf(1)), 0x7c00},
		{float32(math.Inf(-1)), 0xfc00},
		{1e-10, 0x0000},
		{-1e10, 0xfc00},
	}
	for _, c := range cases {
		if got := floatToHalf(c.f); got != c.want {
			t.Errorf("floatToHalf(%g) = %#04x, want %#04x", c.f, got, c.want)
		}
	}
	if h := floatToHalf(float32(math.NaN())); h&0x7c00 != 0x7c00 || h&0x3ff == 0 {
		t.Errorf("floatToHalf(NaN) = %#04x, not a NaN", h)
	}
}

func TestHalfRoundTrip(t *testing.T) {
	// Every half value widens exactly and narrows back to itself.
	for h := 0; h < 1<<16; h++ {
		if h&0x7c00 == 0x7c00 && h&0x3ff != 0 {
			if f := halfToFloat(uint16(h)); f == f {
				t.Fatalf("halfToFloat(%#04x) = %g, want NaN", h, f)
			}
			continue
		}
		if got := floatToHalf(halfToFloat(uint16(h))); got != uint16(h) {
			t.Fatalf("round trip of %#04x gives %#04x (via %g)", h, got, halfToFloat(uint16(h)))
		}
	}
	if got := halfToFloat(0x3555); got != 0.333251953125 {
		t.Errorf("halfToFloat(0x3555) = %.12g, want 0.333251953125", got)
	}
	if got := halfToFloat(0x8001); got != -float32(math.Ldexp(1, -24)) {
		t.Errorf("halfToFloat(0x8001) = %g, want -2^-24", got)
	}
}
