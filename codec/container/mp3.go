package container

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/hajimehoshi/go-mp3"

	"github.com/callscribe/callscribe/codec"
)

// decodeMP3 decodes an MPEG-1/2 layer III file. go-mp3 always delivers
// 16-bit stereo, a mono file's one channel twice; the first frame's
// header says which it was, so a mono file stays one channel.
func decodeMP3(data []byte, o Options) (*codec.Audio, error) {
	d, err := mp3.NewDecoder(struct{ io.Reader }{bytes.NewReader(data)}) // no Seek: one pass, no length scan
	if err != nil {
		return nil, fmt.Errorf("%w: MP3: %w", ErrCorrupt, err)
	}
	mono, err := mp3Mono(data)
	if err != nil {
		return nil, err
	}
	channels := 2
	if mono {
		channels = 1
	}
	b, err := newBuilder(d.SampleRate(), channels, o)
	if err != nil {
		return nil, err
	}
	raw := make([]byte, 16<<10)
	var samples []float32
	for {
		n, rerr := io.ReadFull(d, raw)
		n -= n % 4
		samples = samples[:0]
		for i := 0; i < n; i += 4 {
			left := float32(int16(uint16(raw[i])|uint16(raw[i+1])<<8)) / 32768
			if mono {
				samples = append(samples, left)
				continue
			}
			samples = append(samples, left, float32(int16(uint16(raw[i+2])|uint16(raw[i+3])<<8))/32768)
		}
		if err := b.add(samples); err != nil {
			return nil, err
		}
		if errors.Is(rerr, io.EOF) || errors.Is(rerr, io.ErrUnexpectedEOF) {
			return b.audio()
		}
		if rerr != nil {
			return nil, fmt.Errorf("%w: MP3: %w", ErrCorrupt, rerr)
		}
	}
}

// mp3Mono reads the channel mode of the first frame after any ID3v2 tag.
func mp3Mono(b []byte) (bool, error) {
	if len(b) >= 10 && string(b[:3]) == "ID3" {
		size := int(b[6]&0x7F)<<21 | int(b[7]&0x7F)<<14 | int(b[8]&0x7F)<<7 | int(b[9]&0x7F)
		size += 10
		if b[5]&0x10 != 0 { // a footer follows the tag
			size += 10
		}
		b = b[min(size, len(b)):]
	}
	for i := 0; i+4 <= len(b); i++ {
		// Sync, a layer (not 00), a bitrate index other than free and
		// bad, a sample rate index other than reserved.
		if b[i] == 0xFF && b[i+1]&0xE0 == 0xE0 && b[i+1]&0x06 != 0 && b[i+2]>>4 != 0x0F && b[i+2]>>4 != 0 && b[i+2]&0x0C != 0x0C {
			return b[i+3]>>6 == 3, nil
		}
	}
	return false, fmt.Errorf("%w: MP3 without a frame header", ErrCorrupt)
}
