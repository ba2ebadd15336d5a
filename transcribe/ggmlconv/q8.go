package ggmlconv

import (
	"encoding/binary"
	"math"
)

const (
	q8Block      = 32          // values per q8_0 block (ggml QK8_0)
	q8BlockBytes = 2 + q8Block // f16 scale then one int8 per value
)

// quantizeQ8_0 appends the q8_0 encoding of row to dst, following ggml's
// reference quantize_row_q8_0_ref, which ggml_quantize_chunk (and so
// whisper.cpp's quantize tool) uses: per block of 32 values the scale is
// d = amax/127 stored as f16, and each value becomes round(x/d) computed as
// x * (1/d) in float32, rounded half away from zero. len(row) must be a
// multiple of 32.
func quantizeQ8_0(dst []byte, row []float32) []byte {
	for len(row) >= q8Block {
		blk := row[:q8Block]
		row = row[q8Block:]
		var amax float32
		for _, x := range blk {
			if a := float32(math.Abs(float64(x))); a > amax {
				amax = a
			}
		}
		d := amax / 127
		var id float32
		if d != 0 {
			id = 1 / d
		}
		dst = binary.LittleEndian.AppendUint16(dst, floatToHalf(d))
		for _, x := range blk {
			q := float32(x * id) // explicit conversion: no fused multiply
			dst = append(dst, byte(int8(math.Round(float64(q)))))
		}
	}
	return dst
}
