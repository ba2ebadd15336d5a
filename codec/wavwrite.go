package codec

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"

	"github.com/zaf/g711"
)

// WriteWAV writes a as a WAV file in format f, interleaving its channels.
// Integer and G.711 formats clip samples to [-1, 1). PCM16 gets the
// classic 16-byte fmt chunk; the other formats, which the specification
// counts as non-PCM, get an 18-byte fmt chunk (cbSize 0) and a fact chunk
// holding the number of frames.
//
// Errors wrap ErrInvalidAudio, ErrUnsupportedFormat or ErrTooLarge, or
// come from w.
func WriteWAV(w io.Writer, a *Audio, f Format) error {
	if err := a.validate(); err != nil {
		return fmt.Errorf("wav: %w", err)
	}
	tag, size := formatLayout(f)
	if tag == 0 {
		return fmt.Errorf("wav: %v: %w", f, ErrUnsupportedFormat)
	}
	channels, frames := len(a.Channels), int64(a.Frames())
	blockAlign := channels * size
	if blockAlign > math.MaxUint16 {
		return fmt.Errorf("wav: %d channels of %v: %w", channels, f, ErrTooLarge)
	}
	byteRate := int64(a.SampleRate) * int64(blockAlign)
	dataSize := frames * int64(blockAlign)
	fmtSize, factSize := int64(16), int64(0)
	if tag != tagPCM {
		fmtSize, factSize = 18, 12
	}
	riffSize := 4 + 8 + fmtSize + factSize + 8 + dataSize + dataSize%2
	if riffSize > math.MaxUint32 || byteRate > math.MaxUint32 {
		return fmt.Errorf("wav: %d frames of %d bytes at %d Hz: %w", frames, blockAlign, a.SampleRate, ErrTooLarge)
	}

	le := binary.LittleEndian
	h := make([]byte, 0, 58)
	h = append(h, "RIFF"...)
	h = le.AppendUint32(h, uint32(riffSize))
	h = append(h, "WAVEfmt "...)
	h = le.AppendUint32(h, uint32(fmtSize))
	h = le.AppendUint16(h, tag)
	h = le.AppendUint16(h, uint16(channels))
	h = le.AppendUint32(h, uint32(a.SampleRate))
	h = le.AppendUint32(h, uint32(byteRate))
	h = le.AppendUint16(h, uint16(blockAlign))
	h = le.AppendUint16(h, uint16(8*size))
	if tag != tagPCM {
		h = le.AppendUint16(h, 0) // cbSize: no extra format bytes
		h = append(h, "fact"...)
		h = le.AppendUint32(h, 4)
		h = le.AppendUint32(h, uint32(frames))
	}
	h = append(h, "data"...)
	h = le.AppendUint32(h, uint32(dataSize))
	if _, err := w.Write(h); err != nil {
		return fmt.Errorf("wav: header: %w", err)
	}

	// Interleave and encode a block of frames at a time.
	buf := make([]byte, 0, max(1, 1<<15/blockAlign)*blockAlign)
	for i := 0; i < int(frames); i++ {
		for _, ch := range a.Channels {
			buf = appendSample(buf, ch[i], f)
		}
		if len(buf)+blockAlign > cap(buf) || i == int(frames)-1 {
			if _, err := w.Write(buf); err != nil {
				return fmt.Errorf("wav: data: %w", err)
			}
			buf = buf[:0]
		}
	}
	if dataSize%2 == 1 {
		if _, err := w.Write([]byte{0}); err != nil {
			return fmt.Errorf("wav: pad byte: %w", err)
		}
	}
	return nil
}

// formatLayout returns the WAVE format tag and bytes per sample of f, or a
// zero tag for an unknown Format.
func formatLayout(f Format) (tag uint16, size int) {
	switch f {
	case FormatPCM16:
		return tagPCM, 2
	case FormatFloat32:
		return tagFloat, 4
	case FormatMulaw:
		return tagMulaw, 1
	case FormatAlaw:
		return tagAlaw, 1
	}
	return 0, 0
}

// appendSample appends one sample encoded as f.
func appendSample(b []byte, v float32, f Format) []byte {
	switch f {
	case FormatPCM16:
		return binary.LittleEndian.AppendUint16(b, uint16(floatToInt16(v)))
	case FormatFloat32:
		return binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
	case FormatMulaw:
		return append(b, g711.EncodeUlawFrame(floatToInt16(v)))
	default:
		return append(b, g711.EncodeAlawFrame(floatToInt16(v)))
	}
}
