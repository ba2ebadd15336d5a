package codec

import (
	"encoding/binary"
	"math"
	"testing"
)

func TestDecodeLinear16LE(t *testing.T) {
	src := []byte{0x00, 0x80, 0xFF, 0x7F, 0x01, 0x00, 0xFF, 0xFF, 0x00, 0x00, 0x42}
	want := []float32{-1, 32767.0 / 32768, 1.0 / 32768, -1.0 / 32768, 0}
	got := DecodeLinear16LE([]float32{9}, src)
	if len(got) != 1+len(want) || got[0] != 9 {
		t.Fatalf("got %v, want prefix 9 then %v (odd byte ignored)", got, want)
	}
	for i, w := range want {
		if got[1+i] != w {
			t.Errorf("sample %d = %v, want %v", i, got[1+i], w)
		}
	}
}

func TestDecodeFloat32LE(t *testing.T) {
	want := []float32{0, -1, 0.5, 1.25, float32(math.Inf(-1))}
	var src []byte
	for _, v := range want {
		src = binary.LittleEndian.AppendUint32(src, math.Float32bits(v))
	}
	got := DecodeFloat32LE(nil, append(src, 1, 2, 3))
	if len(got) != len(want) {
		t.Fatalf("got %d samples, want %d (partial sample ignored)", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("sample %d = %v, want %v", i, got[i], want[i])
		}
	}
}

func TestDecodeWAVSampleWidths(t *testing.T) {
	cases := []struct {
		name   string
		decode func([]float32, []byte) []float32
		src    []byte
		want   []float32
	}{
		{"u8", decodeUnsigned8, []byte{0, 128, 255, 64}, []float32{-1, 0, 127.0 / 128, -0.5}},
		{"s24", decodeLinear24LE, []byte{0, 0, 0x80, 0xFF, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF, 0, 0, 0x40},
			[]float32{-1, float32(0x7FFFFF) / (1 << 23), -1.0 / (1 << 23), 0.5}},
		{"s32", decodeLinear32LE, []byte{0, 0, 0, 0x80, 0, 0, 0, 0xC0, 1, 0, 0, 0},
			[]float32{-1, -0.5, float32(1.0 / (1 << 31))}},
		{"f64", decodeFloat64LE, binary.LittleEndian.AppendUint64(nil, math.Float64bits(-0.375)), []float32{-0.375}},
	}
	for _, c := range cases {
		got := c.decode(nil, c.src)
		if len(got) != len(c.want) {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%s: sample %d = %v, want %v", c.name, i, got[i], c.want[i])
			}
		}
	}
}

func TestRawDecodersDoNotAllocate(t *testing.T) {
	src := make([]byte, 640)
	dst := make([]float32, 0, 320)
	allocs := testing.AllocsPerRun(100, func() {
		dst = DecodeLinear16LE(dst[:0], src)
		dst = DecodeFloat32LE(dst[:0], src)
	})
	if allocs != 0 {
		t.Errorf("%.1f allocations per frame with capacity", allocs)
	}
}
