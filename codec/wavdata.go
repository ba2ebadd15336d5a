package codec

import (
	"errors"
	"fmt"
	"io"
)

// decodeData reads a data chunk of size bytes (unknownSize: to the end of
// r) in blocks, decodes each and splits it into channels.
func decodeData(r io.Reader, size int64, f wavFormat) (*Audio, error) {
	block := f.blockAlign
	toEOF := size == unknownSize
	if !toEOF && size%int64(block) != 0 {
		return nil, fmt.Errorf("wav: data chunk: %d bytes is not a whole number of %d-byte frames: %w",
			size, block, ErrMalformed)
	}
	a := &Audio{SampleRate: f.rate, Channels: make([][]float32, f.channels)}
	// Reserve room from the declared size, but only up to a modest total:
	// the size may be a lie, and append grows the slices as data arrives.
	hint := 0
	if !toEOF {
		hint = int(min(size/int64(block), int64(1<<16/f.channels)))
	}
	for c := range a.Channels {
		a.Channels[c] = make([]float32, 0, hint)
	}

	buf := make([]byte, max(1, 1<<16/block)*block)
	var samples []float32
	for remaining := size; toEOF || remaining > 0; {
		want := len(buf)
		if !toEOF {
			want = int(min(int64(want), remaining))
		}
		n, err := io.ReadFull(r, buf[:want])
		remaining -= int64(n)
		whole := n / block * block
		samples = f.decode(samples[:0], buf[:whole])
		deinterleave(a.Channels, samples)
		switch {
		case err == nil:
		case toEOF && (errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)):
			return a, nil // a stream cut off mid-frame loses that frame
		case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
			return nil, fmt.Errorf("wav: data chunk: declares %d bytes, has %d: %w",
				size, size-remaining, ErrTruncated)
		default:
			return nil, fmt.Errorf("wav: data chunk: %w", err)
		}
	}
	return a, nil
}

// deinterleave appends interleaved frames to the per-channel slices.
func deinterleave(channels [][]float32, samples []float32) {
	if len(channels) == 1 {
		channels[0] = append(channels[0], samples...)
		return
	}
	n := len(channels)
	for c := range channels {
		ch := channels[c]
		for i := c; i < len(samples); i += n {
			ch = append(ch, samples[i])
		}
		channels[c] = ch
	}
}
