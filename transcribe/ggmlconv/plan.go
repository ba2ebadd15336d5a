package ggmlconv

import (
	"bytes"
	"fmt"
	"io"
	"slices"
)

// plannedTensor is a tensor to write: its spec, storage type and the byte
// range of its data inside model.bin.
type plannedTensor struct {
	spec  tensorSpec
	typ   ggmlType
	dtype uint8 // CTranslate2 dtype of the source
	off   int64
	size  int64
}

// planTensors resolves every tensor of the layout to its source bytes and
// checks, before anything is written, that shapes agree, that the fused
// key biases whisper.cpp drops are zero, that the output projection is tied
// to the token embedding, and that no weight of the model is left over.
func planTensors(m *ct2Model, h HParams, weights ggmlType) ([]plannedTensor, error) {
	var plan []plannedTensor
	for _, s := range layout(h) {
		v, err := m.lookup(s.src)
		if err != nil {
			return nil, err
		}
		switch v.dtype {
		case ct2F32, ct2F16, ct2BF16:
		default:
			return nil, fmt.Errorf("%w: %s has integer dtype %d (int8/int16 CTranslate2 models cannot be converted; use a float16 or float32 one)",
				ErrUnsupported, v.name, v.dtype)
		}
		if err := checkShape(s, v); err != nil {
			return nil, err
		}
		part := v.size / int64(s.parts)
		p := plannedTensor{spec: s, typ: storageType(s.class, weights), dtype: v.dtype,
			off: v.off + int64(s.part)*part, size: part}
		if p.typ == typeQ8_0 && s.ne[0]%q8Block != 0 {
			return nil, fmt.Errorf("%w: %s rows of %d values do not split into q8_0 blocks of %d", ErrUnsupported, s.name, s.ne[0], q8Block)
		}
		if s.zero {
			if err := checkZero(m.r, p); err != nil {
				return nil, err
			}
			continue
		}
		plan = append(plan, p)
	}
	if err := checkTied(m); err != nil {
		return nil, err
	}
	for name, v := range m.vars {
		if len(v.dims) > 0 && !m.used[name] {
			return nil, fmt.Errorf("%w: variable %s has no place in a whisper.cpp model", ErrUnsupported, name)
		}
	}
	return plan, nil
}

// checkShape compares a CTranslate2 variable, outermost dimension first and
// holding s.parts stacked blocks, with the ggml shape of one block. Size-1
// dimensions are ignored: conv biases are (n) in one format and (1, n) in
// the other.
func checkShape(s tensorSpec, v *ct2Var) error {
	want := slices.Clone(s.ne)
	slices.Reverse(want)
	want = squeeze(want)
	got := squeeze(v.dims)
	if len(got) > 0 && got[0]%int64(s.parts) == 0 {
		got[0] /= int64(s.parts)
	}
	if !slices.Equal(got, want) {
		return fmt.Errorf("%w: %s has shape %v, expected %d block(s) of %v for %s", ErrBadSource, v.name, v.dims, s.parts, want, s.name)
	}
	return nil
}

func squeeze(dims []int64) []int64 {
	out := []int64{}
	for _, d := range dims {
		if d != 1 {
			out = append(out, d)
		}
	}
	return out
}

// checkZero verifies that a bias block whisper.cpp has no tensor for is all
// zeros, so dropping it changes nothing.
func checkZero(r io.ReaderAt, p plannedTensor) error {
	b := make([]byte, p.size)
	if _, err := r.ReadAt(b, p.off); err != nil {
		return fmt.Errorf("read %s: %w", p.spec.src, err)
	}
	vals := make([]float32, p.spec.elements())
	decodeFloats(vals, b, p.dtype)
	for i, x := range vals {
		if x != 0 {
			return fmt.Errorf("%w: %s: key bias block of %s is %g at %d, not zero; whisper.cpp has no key bias",
				ErrBadSource, p.spec.name, p.spec.src, x, i)
		}
	}
	return nil
}

// checkTied makes sure the decoder's output projection is the token
// embedding, as whisper.cpp assumes: CTranslate2 stores it as an alias, or
// as a copy that must then be identical.
func checkTied(m *ct2Model) error {
	const proj, emb = "decoder/projection/weight", "decoder/embeddings/weight"
	p, err := m.lookup(proj)
	if err != nil {
		return err
	}
	e, err := m.lookup(emb)
	if err != nil || p == e {
		return err
	}
	if p.size != e.size || p.dtype != e.dtype {
		return fmt.Errorf("%w: %s differs from %s; whisper.cpp needs them tied", ErrUnsupported, proj, emb)
	}
	a, b := make([]byte, 1<<20), make([]byte, 1<<20)
	for off := int64(0); off < p.size; off += int64(len(a)) {
		n := min(int64(len(a)), p.size-off)
		if _, err := m.r.ReadAt(a[:n], p.off+off); err != nil {
			return err
		}
		if _, err := m.r.ReadAt(b[:n], e.off+off); err != nil {
			return err
		}
		if !bytes.Equal(a[:n], b[:n]) {
			return fmt.Errorf("%w: %s differs from %s; whisper.cpp needs them tied", ErrUnsupported, proj, emb)
		}
	}
	return nil
}
