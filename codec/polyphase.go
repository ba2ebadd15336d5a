package codec

import "math"

// filterSpec is the prototype low-pass of a resampler, in units of input
// samples.
type filterSpec struct {
	fc   float64 // cutoff, cycles per input sample
	half float64 // half-width of the window, input samples
	beta float64 // Kaiser shape
	taps int     // input samples per output, 2*half
}

// newFilterSpec designs the filter for a rate change of up/down (reduced).
func newFilterSpec(up, down int) filterSpec {
	// The lower Nyquist frequency in cycles per input sample: 0.5 when
	// interpolating, 0.5*up/down when decimating.
	nyquist := 0.5 * min(1, float64(up)/float64(down))
	width := nyquist * (stopbandEdge - passbandEdge)
	// Round the half-width up to an even number so taps is a multiple of
	// 4 for the unrolled dot product; a longer window only narrows the
	// transition band.
	half := 2 * int(math.Ceil(kaiserLength(stopbandDB, width)/4))
	return filterSpec{
		fc:   nyquist * (passbandEdge + stopbandEdge) / 2,
		half: float64(half),
		beta: kaiserBeta(stopbandDB),
		taps: 2 * half,
	}
}

// table samples the kernel for every phase. Phase p serves outputs whose
// time is base+p/up; its tap m multiplies input base-half+1+m, which lies
// p/up+half-1-m input samples before that time. Each phase is scaled to
// unit sum so a constant input comes out constant, without a ripple at the
// phase rate.
func (s filterSpec) table(up int) []float32 {
	coef := make([]float32, up*s.taps)
	vals := make([]float64, s.taps)
	for p := range up {
		row := coef[p*s.taps : (p+1)*s.taps]
		var sum float64
		for m := range vals {
			t := float64(p)/float64(up) + s.half - 1 - float64(m)
			vals[m] = lowpassKernel(t, s.fc, s.half, s.beta)
			sum += vals[m]
		}
		for m, v := range vals {
			row[m] = float32(v / sum)
		}
	}
	return coef
}

// drain appends every output whose taps lie inside the history, stopping
// before output number limit, then drops history no later output needs.
func (r *Resampler) drain(dst []float32, limit int64) []float32 {
	end := r.histStart + int64(len(r.hist))
	half := int64(r.taps / 2)
	for r.produced < limit {
		first := r.base - half + 1
		if first+int64(r.taps) > end {
			break
		}
		off := int(first - r.histStart)
		h := r.coef[r.phase*r.taps : (r.phase+1)*r.taps]
		dst = append(dst, dot(h, r.hist[off:off+r.taps]))
		r.produced++
		r.base += r.stepInt
		if r.phase += r.stepFrac; r.phase >= r.up {
			r.phase -= r.up
			r.base++
		}
	}
	drop := min(max(r.base-half+1-r.histStart, 0), int64(len(r.hist)))
	if drop > 0 {
		r.hist = r.hist[:copy(r.hist, r.hist[drop:])]
		r.histStart += drop
	}
	return dst
}

// dot is the inner product of two slices of equal length, a multiple of 4.
// Four accumulators break the dependency chain between additions; the
// summation order is fixed, so results do not depend on chunking.
func dot(h, x []float32) float32 {
	x = x[:len(h)]
	var s0, s1, s2, s3 float32
	// Re-slicing by 4 each round lets the compiler drop bounds checks.
	for len(h) >= 4 && len(x) >= 4 {
		s0 += h[0] * x[0]
		s1 += h[1] * x[1]
		s2 += h[2] * x[2]
		s3 += h[3] * x[3]
		h, x = h[4:], x[4:]
	}
	return (s0 + s1) + (s2 + s3)
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// ceilDiv is ceil(a/b) for a >= 0, b > 0.
func ceilDiv(a, b int64) int64 { return (a + b - 1) / b }
