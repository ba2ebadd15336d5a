package stream

import "github.com/callscribe/callscribe/transcribe"

// audioBuffer holds the contiguous track samples [start, start+len).
//
// Its backing array is append-only: span hands out capped slices of it, and
// nothing ever writes to a position once it is filled. Dropping old audio
// allocates a new array rather than shifting in place. So a decode may read
// its request's samples on another goroutine while the policy keeps
// appending, with no copy per request and no data race.
type audioBuffer struct {
	start   int64
	samples []float32
}

func (b *audioBuffer) end() int64 { return b.start + int64(len(b.samples)) }

func (b *audioBuffer) len() int64 { return int64(len(b.samples)) }

// append adds samples that begin at position at, skipping any part of them
// at positions already held, and returns how many it skipped. The caller
// closes any gap first: at must not lie past end.
func (b *audioBuffer) append(at int64, samples []float32) (late int64) {
	if skip := b.end() - at; skip > 0 {
		if skip >= int64(len(samples)) {
			return int64(len(samples))
		}
		samples, late = samples[skip:], skip
	}
	b.samples = append(b.samples, samples...)
	return late
}

// fillSilence appends n zero samples.
func (b *audioBuffer) fillSilence(n int64) {
	b.samples = append(b.samples, make([]float32, n)...)
}

// reset empties the buffer and places its next sample at pos.
func (b *audioBuffer) reset(pos int64) {
	b.start, b.samples = pos, nil
}

// dropBefore discards the samples before pos. A pos past the end empties
// the buffer and moves it to pos.
func (b *audioBuffer) dropBefore(pos int64) {
	switch {
	case pos <= b.start:
		return
	case pos >= b.end():
		b.reset(pos)
		return
	}
	kept := b.samples[pos-b.start:]
	// A fresh array, with room for the next second or so of appends; the
	// old one may still be read by a decode.
	fresh := make([]float32, len(kept), len(kept)+transcribe.SampleRate)
	copy(fresh, kept)
	b.start, b.samples = pos, fresh
}

// span returns the samples [from, to), clamped to what is held, as a slice
// capped at its length so that an append to it cannot reach the buffer.
func (b *audioBuffer) span(from, to int64) []float32 {
	from, to = max(from, b.start), min(to, b.end())
	if from >= to {
		return nil
	}
	i, j := from-b.start, to-b.start
	return b.samples[i:j:j]
}
