package codec

import (
	"encoding/binary"
	"math"
)

// DecodeLinear16LE appends to dst the samples of src, read as signed 16-bit
// little-endian PCM (the "audio/l16" of raw WebSocket clients, with the
// byte order fixed), and returns the extended slice. A trailing odd byte is
// ignored. It allocates nothing when dst has room for len(src)/2 more
// samples.
func DecodeLinear16LE(dst []float32, src []byte) []float32 {
	n := len(src) / 2
	base := len(dst)
	dst = grow(dst, n)
	out := dst[base : base+n]
	for i := range out {
		out[i] = float32(int16(binary.LittleEndian.Uint16(src[2*i:]))) / 32768
	}
	return dst
}

// DecodeFloat32LE appends to dst the samples of src, read as IEEE 754
// float32 little-endian (what a browser's Web Audio API produces), and
// returns the extended slice. Trailing bytes short of a sample are ignored.
// Values are copied unchanged, without clipping.
func DecodeFloat32LE(dst []float32, src []byte) []float32 {
	n := len(src) / 4
	base := len(dst)
	dst = grow(dst, n)
	out := dst[base : base+n]
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(src[4*i:]))
	}
	return dst
}

// decodeUnsigned8 reads unsigned 8-bit PCM, whose silence is 128.
func decodeUnsigned8(dst []float32, src []byte) []float32 {
	base := len(dst)
	dst = grow(dst, len(src))
	out := dst[base:]
	for i, b := range src {
		out[i] = float32(int(b)-128) / 128
	}
	return dst
}

// decodeLinear24LE reads signed 24-bit little-endian PCM.
func decodeLinear24LE(dst []float32, src []byte) []float32 {
	n := len(src) / 3
	base := len(dst)
	dst = grow(dst, n)
	out := dst[base:]
	for i := range out {
		b := src[3*i : 3*i+3]
		// Place the 24 bits at the top of an int32 so the shift back down
		// sign-extends them.
		v := int32(uint32(b[0])<<8|uint32(b[1])<<16|uint32(b[2])<<24) >> 8
		out[i] = float32(v) / (1 << 23)
	}
	return dst
}

// decodeLinear32LE reads signed 32-bit little-endian PCM.
func decodeLinear32LE(dst []float32, src []byte) []float32 {
	n := len(src) / 4
	base := len(dst)
	dst = grow(dst, n)
	out := dst[base:]
	for i := range out {
		v := int32(binary.LittleEndian.Uint32(src[4*i:]))
		out[i] = float32(float64(v) / (1 << 31))
	}
	return dst
}

// decodeFloat64LE reads IEEE 754 float64 little-endian samples, rounding
// them to float32.
func decodeFloat64LE(dst []float32, src []byte) []float32 {
	n := len(src) / 8
	base := len(dst)
	dst = grow(dst, n)
	out := dst[base:]
	for i := range out {
		out[i] = float32(math.Float64frombits(binary.LittleEndian.Uint64(src[8*i:])))
	}
	return dst
}
