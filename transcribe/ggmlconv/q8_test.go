package ggmlconv

import (
	"bytes"
	"encoding/binary"
	"testing"
)

func TestQuantizeQ8_0(t *testing.T) {
	// The expected bytes are what libggml-base 0.27's ggml_quantize_chunk
	// returns for the same row. Block 1: amax 63.5 gives the exact scale
	// 0.5, so x becomes round(2x), ties (±0.25, ±0.75) away from zero.
	row := make([]float32, 64)
	ints := make([]int8, 32)
	for j := range 32 {
		row[j] = float32(j-16) / 2
		ints[j] = int8(j - 16)
	}
	row[0], ints[0] = -63.5, -127
	row[1], ints[1] = 0.25, 1
	row[2], ints[2] = -0.25, -1
	row[3], ints[3] = 0.75, 2
	row[4], ints[4] = 0.2, 0
	// Block 2 stays all zero: scale 0, quants 0.
	got := quantizeQ8_0(nil, row)

	want := binary.LittleEndian.AppendUint16(nil, 0x3800) // 0.5 as f16
	for _, q := range ints {
		want = append(want, byte(q))
	}
	want = append(want, make([]byte, 34)...)
	if !bytes.Equal(got, want) {
		t.Fatalf("q8_0 blocks\n got % x\nwant % x", got, want)
	}
}

func TestQuantizeQ8_0ScaleRounding(t *testing.T) {
	// amax 1 gives d = 1/127, stored as the nearest half (0x2008), while
	// quants use the unrounded float32 reciprocal: 1 -> 127, 0.5 -> 64
	// (63.5 rounds away from zero). libggml gives the same bytes.
	row := make([]float32, 32)
	row[0], row[1], row[2] = 1, -0.5, 0.5
	got := quantizeQ8_0(nil, row)
	if h := binary.LittleEndian.Uint16(got); h != 0x2008 {
		t.Errorf("scale = %#04x, want 0x2008", h)
	}
	if q := []int8{int8(got[2]), int8(got[3]), int8(got[4])}; q[0] != 127 || q[1] != -64 || q[2] != 64 {
		t.Errorf("quants = %v, want [127 -64 64]", q)
	}
}
