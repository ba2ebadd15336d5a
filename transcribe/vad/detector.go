package vad

import "fmt"

// Detector scores one audio track, 32 ms at a time. It carries the LSTM
// state and the last ContextSamples samples from one window to the next, so
// it must see the track's audio in order, and it is not safe for concurrent
// use. Use either Window or Process on a Detector between Resets, not both:
// Process keeps a partial window that Window would skip past. Make one with
// Model.NewDetector; the zero value has no weights.
type Detector struct {
	w       *weights
	s       scratch
	h, c    [hidden]float32
	pending [WindowSamples]float32
	npend   int
	windows int64
}

// Window returns the probability, in [0, 1], that the next 512 samples
// (16 kHz, nominally in [-1, 1]) contain speech. It allocates nothing. A
// slice of any other length returns ErrWindowLength and changes no state.
func (d *Detector) Window(samples []float32) (float32, error) {
	if len(samples) != WindowSamples {
		return 0, fmt.Errorf("%w: got %d", ErrWindowLength, len(samples))
	}
	return d.score(samples), nil
}

// Process appends to dst one speech probability per complete 512-sample
// window of the track and returns the extended slice, like append. Samples
// that do not complete a window are kept for the next call, so a stream may
// be fed in chunks of any size; it allocates nothing when dst has room.
// Window number k of the track (counting from 0 since the Detector was
// created or Reset) covers samples [k*WindowSamples, (k+1)*WindowSamples).
func (d *Detector) Process(dst, samples []float32) []float32 {
	if d.npend > 0 {
		n := copy(d.pending[d.npend:], samples)
		d.npend += n
		samples = samples[n:]
		if d.npend < WindowSamples {
			return dst
		}
		dst = append(dst, d.score(d.pending[:]))
		d.npend = 0
	}
	for len(samples) >= WindowSamples {
		dst = append(dst, d.score(samples[:WindowSamples]))
		samples = samples[WindowSamples:]
	}
	d.npend = copy(d.pending[:], samples)
	return dst
}

// Windows returns how many windows have been scored since the Detector was
// created or last Reset.
func (d *Detector) Windows() int64 { return d.windows }

// Reset returns the Detector to its initial state, for a new track or after
// a gap in the audio that would make the carried context wrong.
func (d *Detector) Reset() {
	d.h, d.c = [hidden]float32{}, [hidden]float32{}
	clear(d.s.x[:ContextSamples])
	d.npend = 0
	d.windows = 0
}

func (d *Detector) score(window []float32) float32 {
	// s.x[:ContextSamples] still holds the tail of the previous window.
	x := d.s.x[ContextSamples : ContextSamples+WindowSamples]
	for i, v := range window {
		// A NaN or infinity would stay in the LSTM state for the rest of
		// the track; a corrupt sample is better treated as silence.
		// v-v is NaN exactly when v is NaN or infinite.
		if v-v != 0 {
			v = 0
		}
		x[i] = v
	}
	p := d.w.forward(&d.s, &d.h, &d.c)
	copy(d.s.x[:ContextSamples], d.s.x[WindowSamples:ContextSamples+WindowSamples])
	d.windows++
	return p
}
