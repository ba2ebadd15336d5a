package codec

import (
	"fmt"
	"math"
)

// Limits on what NewResampler accepts.
const (
	// MaxSampleRate is the highest sample rate, in Hz, that the resampler
	// accepts; anything above it is taken for a bug, not audio.
	MaxSampleRate = 1_000_000
	// MaxResampleRatio bounds the ratio of the two rates either way, which
	// bounds the filter length when decimating.
	MaxResampleRatio = 256
	// maxTableSize bounds the polyphase table (float32 coefficients, so
	// 4 MiB). Rate pairs whose reduced fraction has a large numerator, such
	// as 7999 -> 16000, exceed it.
	maxTableSize = 1 << 20
	// chunkSize is how many input samples Process copies into its history
	// buffer at a time; it fixes the buffer size so Process never allocates.
	chunkSize = 1024
)

// Resampler converts a stream of samples from one rate to another with a
// polyphase windowed-sinc filter. Feed it with Process in chunks of any
// size and finish with Flush; the concatenated output does not depend on
// how the input was chunked and equals what Resample returns for the
// whole input.
//
// Output sample k is the band-limited input signal at time k/outRate:
// the filter's delay is compensated, at the cost of holding back about
// Taps()/2 input samples until more input (or Flush) arrives.
//
// A Resampler is not safe for concurrent use; use one per stream.
type Resampler struct {
	inRate, outRate int
	up, down        int       // out/in reduced to lowest terms: up/down
	taps            int       // coefficients per phase, a multiple of 4
	coef            []float32 // up phases of taps coefficients each
	stepInt         int64     // down / up: whole input samples per output
	stepFrac        int       // down % up: phase advance per output

	hist      []float32 // buffered input; cap is taps+chunkSize, fixed
	histStart int64     // input index of hist[0]; negative while primed with zeros
	consumed  int64     // input samples received since Reset
	produced  int64     // output samples returned since Reset
	base      int64     // input index at or before the next output's time
	phase     int       // next output's time is base + phase/up
}

// NewResampler returns a Resampler from inRate to outRate (Hz). It fails
// with ErrInvalidRate for rates outside 1..MaxSampleRate and with
// ErrUnsupportedRatio for pairs that need too large a filter. Equal rates
// give a Resampler that copies its input.
func NewResampler(inRate, outRate int) (*Resampler, error) {
	for _, rate := range []int{inRate, outRate} {
		if rate <= 0 || rate > MaxSampleRate {
			return nil, fmt.Errorf("resample %d Hz -> %d Hz: rate %d: %w", inRate, outRate, rate, ErrInvalidRate)
		}
	}
	g := gcd(inRate, outRate)
	r := &Resampler{inRate: inRate, outRate: outRate, up: outRate / g, down: inRate / g}
	if r.up > MaxResampleRatio*r.down || r.down > MaxResampleRatio*r.up {
		return nil, fmt.Errorf("resample %d Hz -> %d Hz: ratio beyond %d: %w", inRate, outRate, MaxResampleRatio, ErrUnsupportedRatio)
	}
	if r.up == r.down {
		return r, nil
	}
	spec := newFilterSpec(r.up, r.down)
	if r.up*spec.taps > maxTableSize {
		return nil, fmt.Errorf("resample %d Hz -> %d Hz: %d phases of %d taps: %w", inRate, outRate, r.up, spec.taps, ErrUnsupportedRatio)
	}
	r.taps, r.coef = spec.taps, spec.table(r.up)
	r.stepInt, r.stepFrac = int64(r.down/r.up), r.down%r.up
	r.hist = make([]float32, 0, r.taps+chunkSize)
	r.Reset()
	return r, nil
}

// InRate returns the input sample rate in Hz.
func (r *Resampler) InRate() int { return r.inRate }

// OutRate returns the output sample rate in Hz.
func (r *Resampler) OutRate() int { return r.outRate }

// Taps returns the number of input samples each output sample is computed
// from (0 when the rates are equal). The stream's latency is half of it.
func (r *Resampler) Taps() int { return r.taps }

// MaxOutputLen returns an upper bound on how many samples the next Process
// call with inLen input samples appends; MaxOutputLen(0) bounds Flush. Size
// dst with it to keep the hot path free of allocation.
func (r *Resampler) MaxOutputLen(inLen int) int {
	if r.up == r.down {
		return inLen
	}
	total := r.consumed + int64(inLen)
	return int(ceilDiv(total*int64(r.up), int64(r.down)) - r.produced)
}

// Reset forgets all input, so the next Process starts a new stream.
func (r *Resampler) Reset() {
	if r.up == r.down {
		return
	}
	// Prime the history with the zeros that precede the stream, so the
	// first output's taps reaching back before time 0 read silence.
	primed := r.taps/2 - 1
	r.hist = r.hist[:primed]
	clear(r.hist)
	r.histStart = -int64(primed)
	r.consumed, r.produced, r.base, r.phase = 0, 0, 0, 0
}

// Process appends to dst the output that src completes and returns the
// extended slice. It allocates nothing when dst has MaxOutputLen(len(src))
// spare capacity.
func (r *Resampler) Process(dst, src []float32) []float32 {
	if r.up == r.down {
		return append(dst, src...)
	}
	for len(src) > 0 {
		n := min(cap(r.hist)-len(r.hist), len(src))
		r.hist = append(r.hist, src[:n]...)
		src = src[n:]
		r.consumed += int64(n)
		dst = r.drain(dst, math.MaxInt64)
	}
	return dst
}

// Flush appends to dst the output still held back, as if the input were
// followed by silence, up to round(inputs*outRate/inRate) samples in all,
// and resets the Resampler for a new stream.
func (r *Resampler) Flush(dst []float32) []float32 {
	if r.up == r.down {
		return dst
	}
	total := (2*r.consumed*int64(r.up) + int64(r.down)) / (2 * int64(r.down))
	for r.produced < total {
		pad := len(r.hist)
		r.hist = r.hist[:cap(r.hist)]
		clear(r.hist[pad:])
		dst = r.drain(dst, total)
	}
	r.Reset()
	return dst
}

// Resample converts the whole of src from inRate to outRate and returns
// round(len(src)*outRate/inRate) samples, aligned so that output sample k
// is the input at time k/outRate. For streams use a Resampler.
func Resample(src []float32, inRate, outRate int) ([]float32, error) {
	r, err := NewResampler(inRate, outRate)
	if err != nil {
		return nil, err
	}
	dst := make([]float32, 0, r.MaxOutputLen(len(src)))
	dst = r.Process(dst, src)
	return r.Flush(dst), nil
}
