package ggmlconv

import (
	"bufio"
	"encoding/binary"
	"io"
	"math"
)

// writeTensor writes one tensor record: n_dims, name length, ggml type, the
// dimensions (innermost first), the name, then the data converted to the
// record's type block of rows by block of rows.
func writeTensor(w *bufio.Writer, r io.ReaderAt, p plannedTensor, s *scratch) error {
	le := binary.LittleEndian
	hdr := le.AppendUint32(nil, uint32(len(p.spec.ne)))
	hdr = le.AppendUint32(hdr, uint32(len(p.spec.name)))
	hdr = le.AppendUint32(hdr, uint32(p.typ))
	for _, d := range p.spec.ne {
		hdr = le.AppendUint32(hdr, uint32(d))
	}
	hdr = append(hdr, p.spec.name...)
	if _, err := w.Write(hdr); err != nil {
		return err
	}
	// Same representation on both sides: copy the bytes as they are.
	if (p.dtype == ct2F16 && p.typ == typeF16) || (p.dtype == ct2F32 && p.typ == typeF32) {
		_, err := io.Copy(w, io.NewSectionReader(r, p.off, p.size))
		return err
	}
	rowLen := p.spec.ne[0]
	srcRow := rowLen * ct2DtypeSize[p.dtype]
	rows := p.size / srcRow
	// About 1 MiB of source per step, whole rows only, so q8_0 blocks never
	// straddle a step.
	step := max(1, (1<<20)/srcRow)
	for row := int64(0); row < rows; row += step {
		n := min(step, rows-row)
		raw := s.bytes(n * srcRow)
		if _, err := r.ReadAt(raw, p.off+row*srcRow); err != nil {
			return err
		}
		vals := s.floats(n * rowLen)
		decodeFloats(vals, raw, p.dtype)
		if _, err := w.Write(encodeFloats(s.out[:0], vals, p.typ)); err != nil {
			return err
		}
	}
	return nil
}

// scratch holds the buffers reused across tensors.
type scratch struct {
	raw  []byte
	vals []float32
	out  []byte
}

func (s *scratch) bytes(n int64) []byte {
	if int64(cap(s.raw)) < n {
		s.raw = make([]byte, n)
	}
	return s.raw[:n]
}

func (s *scratch) floats(n int64) []float32 {
	if int64(cap(s.vals)) < n {
		s.vals = make([]float32, n)
		s.out = make([]byte, 0, 4*n)
	}
	return s.vals[:n]
}

// decodeFloats widens CTranslate2 float data (f32, f16 or bf16) to float32.
func decodeFloats(dst []float32, src []byte, dtype uint8) {
	le := binary.LittleEndian
	switch dtype {
	case ct2F32:
		for i := range dst {
			dst[i] = math.Float32frombits(le.Uint32(src[4*i:]))
		}
	case ct2F16:
		for i := range dst {
			dst[i] = halfToFloat(le.Uint16(src[2*i:]))
		}
	case ct2BF16:
		for i := range dst {
			dst[i] = math.Float32frombits(uint32(le.Uint16(src[2*i:])) << 16)
		}
	}
}

// encodeFloats appends vals to dst in ggml type t (f32, f16 or q8_0).
func encodeFloats(dst []byte, vals []float32, t ggmlType) []byte {
	le := binary.LittleEndian
	switch t {
	case typeF32:
		for _, v := range vals {
			dst = le.AppendUint32(dst, math.Float32bits(v))
		}
	case typeF16:
		for _, v := range vals {
			dst = le.AppendUint16(dst, floatToHalf(v))
		}
	case typeQ8_0:
		dst = quantizeQ8_0(dst, vals)
	}
	return dst
}
