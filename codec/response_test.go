package codec

import (
	"fmt"
	"math"
	"math/cmplx"
	"testing"
)

// Frequency-domain tests of the resampler: tones in, tones (or nothing) out.

const toneAmp = 0.5

// TestResamplerPassband sends tones from 100 Hz to 0.85 of the lower
// Nyquist frequency and expects each to come out as the same tone sampled
// at the new rate: amplitude within 0.1 dB and, sample by sample, within
// -60 dB of the ideal sine, which also pins the timing far below a sample.
func TestResamplerPassband(t *testing.T) {
	for _, p := range ratePairs {
		in, out := float64(p[0]), float64(p[1])
		nyquist := min(in, out) / 2
		worstGain, worstDev := 0.0, math.Inf(-1)
		for _, f := range sweep(100, passbandEdge*nyquist, 12) {
			r := mustResampler(t, p[0], p[1])
			y := r.Flush(r.Process(nil, tone(p[0]/4, f, in, toneAmp)))
			from, to := settled(t, r, len(y))
			a, b := fitTone(y, f, out, from, to)
			gain := dB(math.Hypot(a, b) / toneAmp)
			worstGain = max(worstGain, math.Abs(gain))
			if math.Abs(gain) > 0.1 {
				t.Errorf("%v->%v: %.0f Hz gain %.3f dB, want within 0.1 dB", in, out, f, gain)
			}
			ideal := tone(len(y), f, out, toneAmp)
			var worst float64
			for i := from; i < to; i++ {
				worst = max(worst, math.Abs(float64(y[i]-ideal[i])))
			}
			e := dB(worst / toneAmp)
			worstDev = max(worstDev, e)
			if e > -60 {
				t.Errorf("%v->%v: %.0f Hz deviates from the ideal tone by %.1f dB", in, out, f, e)
			}
		}
		t.Logf("%v->%v: 100-%.0f Hz gain within %.4f dB, sample error <= %.1f dB", in, out, passbandEdge*nyquist, worstGain, worstDev)
	}
}

// TestResamplerRejectsAliases sends tones between the output Nyquist
// frequency and the input's, which a decimator must remove rather than
// fold back into the band; 9-20 kHz for 48 and 44.1 kHz down to 16 kHz.
func TestResamplerRejectsAliases(t *testing.T) {
	for _, p := range [][2]int{{48000, 16000}, {44100, 16000}, {32000, 16000}, {22050, 16000}, {16000, 8000}} {
		in, out := float64(p[0]), float64(p[1])
		lo, hi := 1.125*out/2, min(20000, 0.49*in)
		var least float64 = math.Inf(1)
		for _, f := range sweep(lo, hi, 24) {
			r := mustResampler(t, p[0], p[1])
			y := r.Flush(r.Process(nil, tone(p[0]/4, f, in, toneAmp)))
			from, to := settled(t, r, len(y))
			atten := -dB(rms(y, from, to) * math.Sqrt2 / toneAmp)
			least = min(least, atten)
			if atten < 60 {
				t.Errorf("%v->%v: %.0f Hz attenuated only %.1f dB, want >= 60", in, out, f, atten)
			}
		}
		t.Logf("%v->%v: tones %.0f-%.0f Hz attenuated >= %.1f dB", in, out, lo, hi, least)
	}
}

// TestResamplerSuppressesImages checks interpolation: a tone f at 8 kHz
// has spectral images at 8000-f, 8000+f... which must not appear above
// 4 kHz in the 16 kHz output.
func TestResamplerSuppressesImages(t *testing.T) {
	for _, p := range [][2]int{{8000, 16000}, {11025, 16000}, {8000, 44100}} {
		in, out := float64(p[0]), float64(p[1])
		var least float64 = math.Inf(1)
		for _, f := range sweep(100, passbandEdge*in/2, 12) {
			r := mustResampler(t, p[0], p[1])
			y := r.Flush(r.Process(nil, tone(p[0]/4, f, in, toneAmp)))
			from, to := settled(t, r, len(y))
			// Remove the wanted tone; what remains is images and noise.
			a, b := fitTone(y, f, out, from, to)
			w := 2 * math.Pi * f / out
			rest := make([]float32, len(y))
			for i := from; i < to; i++ {
				s, c := math.Sincos(w * float64(i))
				rest[i] = y[i] - float32(a*s+b*c)
			}
			ia, ib := fitTone(rest, in-f, out, from, to)
			image := -dB(math.Hypot(ia, ib) / toneAmp)
			residual := -dB(rms(rest, from, to) * math.Sqrt2 / toneAmp)
			least = min(least, image, residual)
			if image < 60 || residual < 60 {
				t.Errorf("%v->%v: %.0f Hz: image at %.0f Hz down %.1f dB, all residue down %.1f dB, want >= 60",
					in, out, f, in-f, image, residual)
			}
		}
		t.Logf("%v->%v: images suppressed >= %.1f dB", in, out, least)
	}
}

// TestFilterStopband evaluates the whole polyphase filter's frequency
// response on a dense grid and expects at least 70 dB from the stopband
// edge (0.99 of the lower Nyquist) to the filter's own Nyquist frequency.
func TestFilterStopband(t *testing.T) {
	for _, p := range [][2]int{{8000, 16000}, {48000, 16000}, {44100, 16000}, {16000, 8000}} {
		t.Run(fmt.Sprintf("%d-%d", p[0], p[1]), func(t *testing.T) {
			r := mustResampler(t, p[0], p[1])
			// Interleave the phases into one filter at up times the input
			// rate: phase ph, tap m sits at (half-1-m)*up + ph.
			h := make([]float64, r.up*r.taps)
			for ph := range r.up {
				for m := range r.taps {
					h[(r.taps-1-m)*r.up+ph] = float64(r.coef[ph*r.taps+m])
				}
			}
			// Frequencies in cycles per input sample.
			nyquist := 0.5 * min(1, float64(r.up)/float64(r.down))
			worst := math.Inf(1)
			// Finely near the edge, where the first side lobes are, then
			// coarsely up to the interleaved filter's Nyquist frequency.
			grid := append(sweep(stopbandEdge*nyquist, 3*nyquist, 1500), sweep(3*nyquist, float64(r.up)/2, 1500)...)
			for _, f := range grid {
				worst = min(worst, -dB(cmplx.Abs(dtft(h, f/float64(r.up)))/float64(r.up)))
			}
			passRipple := 0.0
			for _, f := range sweep(0, passbandEdge*nyquist, 300) {
				g := dB(cmplx.Abs(dtft(h, f/float64(r.up))) / float64(r.up))
				passRipple = max(passRipple, math.Abs(g))
			}
			t.Logf("stopband >= %.1f dB, passband ripple %.4f dB, %d taps", worst, passRipple, r.taps)
			if worst < 70 {
				t.Errorf("stopband attenuation %.1f dB, want >= 70", worst)
			}
			if passRipple > 0.01 {
				t.Errorf("passband ripple %.4f dB, want <= 0.01", passRipple)
			}
		})
	}
}

// dtft evaluates the transfer function of h at f cycles per sample. The
// phasor advances by multiplication, renormalised now and then, rather
// than by a sine and cosine per tap.
func dtft(h []float64, f float64) complex128 {
	var sum complex128
	z, step := complex(1, 0), cmplx.Rect(1, -2*math.Pi*f)
	for i, v := range h {
		sum += complex(v, 0) * z
		if z *= step; i%256 == 255 {
			z = cmplx.Rect(1, -2*math.Pi*f*float64(i+1))
		}
	}
	return sum
}

// sweep returns n frequencies spread evenly from lo to hi inclusive.
func sweep(lo, hi float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = lo + (hi-lo)*float64(i)/float64(n-1)
	}
	return out
}
