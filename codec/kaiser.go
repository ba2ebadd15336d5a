package codec

import "math"

// Filter design of the resampler. All frequencies here are fractions of the
// lower of the two Nyquist frequencies, the band both rates can carry.
const (
	// passbandEdge is where the response may start to fall: speech energy
	// that matters for recognition lies well below it (3.4 kHz of a 4 kHz
	// telephone band).
	passbandEdge = 0.85
	// stopbandEdge is where the response must be down by stopbandDB. It is
	// just below Nyquist, so nothing that would alias into the passband or
	// image above it gets through.
	stopbandEdge = 0.99
	// stopbandDB is the design attenuation. 80 dB leaves a margin over the
	// 70 dB we promise, because the Kaiser length formula is approximate.
	stopbandDB = 80
)

// kaiserBeta returns the Kaiser window shape parameter that gives a
// stopband attenuation of atten dB (Kaiser's empirical formula).
func kaiserBeta(atten float64) float64 {
	switch {
	case atten > 50:
		return 0.1102 * (atten - 8.7)
	case atten >= 21:
		return 0.5842*math.Pow(atten-21, 0.4) + 0.07886*(atten-21)
	}
	return 0
}

// kaiserLength returns the filter length, in samples, that a Kaiser-window
// design needs for atten dB with a transition width of width cycles per
// sample (Kaiser's estimate N = (A-8) / (2.285 * 2*pi*width)).
func kaiserLength(atten, width float64) float64 {
	return (atten - 8) / (2.285 * 2 * math.Pi * width)
}

// besselI0 is the modified Bessel function of the first kind, order zero,
// summed from its power series; the terms fall fast for the arguments a
// Kaiser window uses (up to beta, about 8).
func besselI0(x float64) float64 {
	sum, term := 1.0, 1.0
	q := x * x / 4
	for k := 1; k < 200; k++ {
		term *= q / float64(k*k)
		sum += term
		if term < sum*1e-17 {
			break
		}
	}
	return sum
}

// kaiserWindow returns the window at x in [-1, 1] (0 outside).
func kaiserWindow(x, beta float64) float64 {
	if x <= -1 || x >= 1 {
		return 0
	}
	return besselI0(beta*math.Sqrt(1-x*x)) / besselI0(beta)
}

// sinc is sin(pi x)/(pi x).
func sinc(x float64) float64 {
	if x == 0 {
		return 1
	}
	return math.Sin(math.Pi*x) / (math.Pi * x)
}

// lowpassKernel is the continuous prototype filter of the resampler: an
// ideal low-pass with cutoff fc (cycles per input sample) shaped by a
// Kaiser window of half-width half (input samples). Its integral is 1, so
// it has unit gain at DC whether it interpolates or decimates.
func lowpassKernel(t, fc, half, beta float64) float64 {
	return 2 * fc * sinc(2*fc*t) * kaiserWindow(t/half, beta)
}
