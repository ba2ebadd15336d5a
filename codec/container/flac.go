package container

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/mewkiz/flac"

	"github.com/callscribe/callscribe/codec"
)

// decodeFLAC decodes a FLAC file, each sample scaled by its bit depth
// into [-1, 1).
func decodeFLAC(data []byte, o Options) (*codec.Audio, error) {
	s, err := flac.New(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: FLAC: %w", ErrCorrupt, err)
	}
	channels := int(s.Info.NChannels)
	b, err := newBuilder(int(s.Info.SampleRate), channels, o)
	if err != nil {
		return nil, err
	}
	var samples []float32
	for {
		f, err := s.ParseNext()
		if errors.Is(err, io.EOF) {
			return b.audio()
		}
		if err != nil {
			return nil, fmt.Errorf("%w: FLAC: %w", ErrCorrupt, err)
		}
		bps := f.BitsPerSample
		if bps == 0 {
			bps = s.Info.BitsPerSample
		}
		if len(f.Subframes) != channels || bps == 0 || bps > 32 {
			return nil, fmt.Errorf("%w: FLAC frame of %d channels, %d bits (stream: %d channels)", ErrCorrupt, len(f.Subframes), bps, channels)
		}
		scale := 1 / float32(int64(1)<<(bps-1))
		n := len(f.Subframes[0].Samples)
		samples = samples[:0]
		for i := range n {
			for _, sub := range f.Subframes {
				if i >= len(sub.Samples) {
					return nil, fmt.Errorf("%w: FLAC subframes of different lengths", ErrCorrupt)
				}
				samples = append(samples, float32(sub.Samples[i])*scale)
			}
		}
		if err := b.add(samples); err != nil {
			return nil, err
		}
	}
}
