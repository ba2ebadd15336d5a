package codec

import (
	"math"
	"testing"
)

// Signal helpers shared by the resampler and round-trip tests.

// tone returns n samples of amp*sin(2*pi*freq*t) at rate, computed in
// float64 so the reference itself adds no error worth mentioning.
func tone(n int, freq, rate, amp float64) []float32 {
	out := make([]float32, n)
	for i := range out {
		out[i] = float32(amp * math.Sin(2*math.Pi*freq*float64(i)/rate))
	}
	return out
}

// fitTone fits a*sin(w i) + b*cos(w i) to y[from:to] by least squares and
// returns a and b. For a pure tone at freq this recovers its amplitude and
// phase exactly, whatever the number of cycles in the window.
func fitTone(y []float32, freq, rate float64, from, to int) (a, b float64) {
	var ss, sc, cc, ys, yc float64
	w := 2 * math.Pi * freq / rate
	for i := from; i < to; i++ {
		s, c := math.Sincos(w * float64(i))
		ss += s * s
		sc += s * c
		cc += c * c
		ys += float64(y[i]) * s
		yc += float64(y[i]) * c
	}
	det := ss*cc - sc*sc
	return (ys*cc - yc*sc) / det, (yc*ss - ys*sc) / det
}

// rms returns the root mean square of y[from:to].
func rms(y []float32, from, to int) float64 {
	var sum float64
	for _, v := range y[from:to] {
		sum += float64(v) * float64(v)
	}
	return math.Sqrt(sum / float64(to-from))
}

// dB converts an amplitude ratio to decibels.
func dB(ratio float64) float64 { return 20 * math.Log10(ratio) }

// settled returns the range of output indices not reached by the filter's
// edges, for a resampler r over an output of n samples.
func settled(t *testing.T, r *Resampler, n int) (from, to int) {
	t.Helper()
	margin := r.Taps()*r.OutRate()/r.InRate() + 8
	if 2*margin >= n {
		t.Fatalf("output of %d samples too short for a filter margin of %d", n, margin)
	}
	return margin, n - margin
}

// mustResampler builds a Resampler or fails the test.
func mustResampler(tb testing.TB, in, out int) *Resampler {
	tb.Helper()
	r, err := NewResampler(in, out)
	if err != nil {
		tb.Fatalf("NewResampler(%d, %d): %v", in, out, err)
	}
	return r
}
