package codec

import "github.com/zaf/g711"

// mulawToFloat and alawToFloat map every G.711 code word to its sample
// value in float32. They are built once from the int16 tables of
// github.com/zaf/g711, so decoding a frame is one table load per byte with
// no integer-to-float conversion in the loop.
var mulawToFloat, alawToFloat [256]float32

func init() {
	for i := range 256 {
		mulawToFloat[i] = float32(g711.DecodeUlawFrame(uint8(i))) / 32768
		alawToFloat[i] = float32(g711.DecodeAlawFrame(uint8(i))) / 32768
	}
}

// DecodeMulaw appends to dst the samples of the G.711 mu-law bytes in src
// (one byte per sample, as in Twilio Media Streams) and returns the
// extended slice. It allocates nothing when dst has room for len(src) more
// samples. Values lie in [-1, 1).
func DecodeMulaw(dst []float32, src []byte) []float32 {
	return decodeTable(dst, src, &mulawToFloat)
}

// DecodeAlaw appends to dst the samples of the G.711 A-law bytes in src and
// returns the extended slice. It allocates nothing when dst has room for
// len(src) more samples. Values lie in [-1, 1).
func DecodeAlaw(dst []float32, src []byte) []float32 {
	return decodeTable(dst, src, &alawToFloat)
}

func decodeTable(dst []float32, src []byte, table *[256]float32) []float32 {
	n := len(dst)
	dst = grow(dst, len(src))
	out := dst[n : n+len(src)]
	for i, b := range src {
		out[i] = table[b]
	}
	return dst
}

// EncodeMulaw appends to dst the G.711 mu-law encoding of src and returns
// the extended slice. Samples outside [-1, 1) are clipped and NaN encodes
// as silence. It is meant for making telephony test audio.
func EncodeMulaw(dst []byte, src []float32) []byte {
	for _, v := range src {
		dst = append(dst, g711.EncodeUlawFrame(floatToInt16(v)))
	}
	return dst
}

// EncodeAlaw appends to dst the G.711 A-law encoding of src and returns the
// extended slice. Samples outside [-1, 1) are clipped and NaN encodes as
// silence.
func EncodeAlaw(dst []byte, src []float32) []byte {
	for _, v := range src {
		dst = append(dst, g711.EncodeAlawFrame(floatToInt16(v)))
	}
	return dst
}

// floatToInt16 scales v by 32768, rounds to nearest and clips to the int16
// range. The comparisons are written so that NaN falls through to 0.
func floatToInt16(v float32) int16 {
	x := v * 32768
	switch {
	case x >= 32767:
		return 32767
	case x <= -32768:
		return -32768
	case x >= 0:
		return int16(x + 0.5)
	case x < 0:
		return int16(x - 0.5)
	}
	return 0
}

// grow makes room for n more elements after len(s) and returns s extended
// to that length. It reallocates only when the capacity is too small.
func grow[T any](s []T, n int) []T {
	if need := len(s) + n; need <= cap(s) {
		return s[:need]
	}
	return append(s, make([]T, n)...)
}
