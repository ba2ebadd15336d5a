package codec

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
)

// WAVE format tags (wFormatTag) this package reads or writes.
const (
	tagPCM        = 0x0001
	tagFloat      = 0x0003
	tagAlaw       = 0x0006
	tagMulaw      = 0x0007
	tagExtensible = 0xFFFE
)

// subformatSuffix is the tail shared by the KSDATAFORMAT_SUBTYPE GUIDs of
// WAVE_FORMAT_EXTENSIBLE whose first two bytes are a plain format tag
// ({0000xxxx-0000-0010-8000-00AA00389B71}, stored little-endian).
var subformatSuffix = []byte{0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71}

// maxFmtSize bounds the fmt chunk: 18 bytes plus the largest cbSize.
const maxFmtSize = 18 + math.MaxUint16

// wavFormat is what ReadWAV needs from a fmt chunk.
type wavFormat struct {
	tag        uint16 // PCM, float, A-law or mu-law (extensible resolved)
	channels   int
	rate       int
	blockAlign int // bytes per frame: channels * container size
	decode     func(dst []float32, src []byte) []float32
}

// parseFmt reads a fmt chunk body and checks that its fields agree.
func parseFmt(b []byte) (wavFormat, error) {
	if len(b) < 16 {
		return wavFormat{}, fmt.Errorf("size %d is under 16 bytes: %w", len(b), ErrMalformed)
	}
	le := binary.LittleEndian
	f := wavFormat{
		tag:        le.Uint16(b[0:]),
		channels:   int(le.Uint16(b[2:])),
		rate:       int(le.Uint32(b[4:])),
		blockAlign: int(le.Uint16(b[12:])),
	}
	bits := int(le.Uint16(b[14:]))
	if f.tag == tagExtensible {
		// cbSize (2 bytes), valid bits (2), channel mask (4), GUID (16).
		if len(b) < 40 || le.Uint16(b[16:]) < 22 {
			return wavFormat{}, fmt.Errorf("extensible format in %d bytes, needs 40: %w", len(b), ErrMalformed)
		}
		if valid := int(le.Uint16(b[18:])); valid > bits {
			return wavFormat{}, fmt.Errorf("%d valid bits in a %d-bit container: %w", valid, bits, ErrMalformed)
		}
		if bits%8 != 0 {
			return wavFormat{}, fmt.Errorf("extensible container of %d bits: %w", bits, ErrMalformed)
		}
		guid := b[24:40]
		if !bytes.Equal(guid[2:], subformatSuffix) {
			return wavFormat{}, fmt.Errorf("extensible subformat %X: %w", guid, ErrUnsupportedFormat)
		}
		f.tag = le.Uint16(guid)
	}
	switch f.tag {
	case tagPCM, tagFloat, tagAlaw, tagMulaw:
	default:
		return wavFormat{}, fmt.Errorf("format tag 0x%04X: %w", f.tag, ErrUnsupportedFormat)
	}
	switch {
	case f.channels == 0:
		return wavFormat{}, fmt.Errorf("zero channels: %w", ErrMalformed)
	case f.rate == 0 || f.rate > MaxSampleRate:
		return wavFormat{}, fmt.Errorf("sample rate %d Hz outside 1..%d: %w", f.rate, MaxSampleRate, ErrMalformed)
	case bits == 0:
		return wavFormat{}, fmt.Errorf("zero bits per sample: %w", ErrMalformed)
	case f.blockAlign%f.channels != 0:
		return wavFormat{}, fmt.Errorf("block align %d does not divide into %d channels: %w",
			f.blockAlign, f.channels, ErrMalformed)
	}
	// The container is what each sample occupies; a PCM sample may use
	// fewer bits, left-justified, which decoding the container handles.
	container := f.blockAlign / f.channels
	if container*8 < bits || container > (bits+7)/8+1 || (bits <= 8 && container != 1) {
		return wavFormat{}, fmt.Errorf("block align %d does not fit %d channels of %d bits: %w",
			f.blockAlign, f.channels, bits, ErrMalformed)
	}
	f.decode = sampleDecoder(f.tag, container)
	if f.decode == nil || (f.tag != tagPCM && bits != 8*container) {
		return wavFormat{}, fmt.Errorf("format tag 0x%04X with %d-byte samples: %w", f.tag, container, ErrUnsupportedFormat)
	}
	return f, nil
}

// sampleDecoder returns the decoder for one encoding and container size,
// or nil if this package does not read it.
func sampleDecoder(tag uint16, container int) func([]float32, []byte) []float32 {
	switch {
	case tag == tagPCM && container == 1:
		return decodeUnsigned8
	case tag == tagPCM && container == 2:
		return DecodeLinear16LE
	case tag == tagPCM && container == 3:
		return decodeLinear24LE
	case tag == tagPCM && container == 4:
		return decodeLinear32LE
	case tag == tagFloat && container == 4:
		return DecodeFloat32LE
	case tag == tagFloat && container == 8:
		return decodeFloat64LE
	case tag == tagAlaw && container == 1:
		return DecodeAlaw
	case tag == tagMulaw && container == 1:
		return DecodeMulaw
	}
	return nil
}
