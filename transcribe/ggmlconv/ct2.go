package ggmlconv

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
)

// CTranslate2 dtype ids (include/ctranslate2/types.h, DataType).
const (
	ct2F32  = 0
	ct2I8   = 1
	ct2I16  = 2
	ct2I32  = 3
	ct2F16  = 4
	ct2BF16 = 5
)

var ct2DtypeSize = map[uint8]int64{ct2F32: 4, ct2I8: 1, ct2I16: 2, ct2I32: 4, ct2F16: 2, ct2BF16: 2}

// ct2Var locates one variable of a model.bin: its data stays in the file and
// is read only when the tensor is written, so conversion streams.
type ct2Var struct {
	name  string
	dims  []int64 // outermost first, as in PyTorch
	dtype uint8
	off   int64 // file offset of the data
	size  int64 // data bytes
}

func (v *ct2Var) elements() int64 {
	n := int64(1)
	for _, d := range v.dims {
		n *= d
	}
	return n
}

// ct2Model is the index of a CTranslate2 model.bin.
type ct2Model struct {
	r       io.ReaderAt
	vars    map[string]*ct2Var
	aliases map[string]string // alias -> target, e.g. tied output projection
	used    map[string]bool   // variables consumed by the conversion
}

// ct2Version is the only binary layout read here: CTranslate2's
// CURRENT_BINARY_VERSION, which every converter since 3.x writes.
const ct2Version = 6

// readCT2 indexes a model.bin (ModelSpec._serialize): u32 version, spec
// name, u32 revision, u32 variable count, then per variable its name, u8
// rank, u32 dims, u8 dtype, u32 byte count and the bytes; then u32 alias
// count and (alias, target) name pairs. Strings are a u16 length that counts
// a trailing NUL, the bytes, and the NUL.
func readCT2(r io.ReaderAt, size int64) (*ct2Model, error) {
	c := newCursor(r, size)
	version, err := c.u32()
	if err != nil {
		return nil, err
	}
	if version != ct2Version {
		return nil, fmt.Errorf("%w: CTranslate2 binary version %d (want %d)", ErrUnsupported, version, ct2Version)
	}
	spec, err := ct2String(c)
	if err != nil {
		return nil, err
	}
	if spec != "WhisperSpec" {
		return nil, fmt.Errorf("%w: CTranslate2 spec %q is not WhisperSpec", ErrUnsupported, spec)
	}
	if _, err := c.u32(); err != nil { // spec revision: the layout is checked variable by variable
		return nil, err
	}
	n, err := c.u32()
	if err != nil {
		return nil, err
	}
	m := &ct2Model{r: r, vars: map[string]*ct2Var{}, aliases: map[string]string{}, used: map[string]bool{}}
	for i := uint32(0); i < n; i++ {
		v, err := ct2ReadVar(c)
		if err != nil {
			return nil, err
		}
		if _, dup := m.vars[v.name]; dup {
			return nil, fmt.Errorf("%w: variable %s appears twice", ErrBadSource, v.name)
		}
		m.vars[v.name] = v
	}
	na, err := c.u32()
	if err != nil {
		return nil, err
	}
	for i := uint32(0); i < na; i++ {
		alias, err := ct2String(c)
		if err != nil {
			return nil, err
		}
		target, err := ct2String(c)
		if err != nil {
			return nil, err
		}
		m.aliases[alias] = target
	}
	if c.remaining() != 0 {
		return nil, fmt.Errorf("%w: %d unexpected bytes after the alias table", ErrBadSource, c.remaining())
	}
	return m, nil
}

func ct2ReadVar(c *cursor) (*ct2Var, error) {
	name, err := ct2String(c)
	if err != nil {
		return nil, err
	}
	rank, err := c.u8()
	if err != nil {
		return nil, err
	}
	v := &ct2Var{name: name, dims: make([]int64, rank)}
	for i := range v.dims {
		d, err := c.u32()
		if err != nil {
			return nil, err
		}
		v.dims[i] = int64(d)
	}
	if v.dtype, err = c.u8(); err != nil {
		return nil, err
	}
	nbytes, err := c.u32()
	if err != nil {
		return nil, err
	}
	esize, ok := ct2DtypeSize[v.dtype]
	if !ok {
		return nil, fmt.Errorf("%w: variable %s has unknown dtype %d", ErrBadSource, name, v.dtype)
	}
	// Bound the element count before multiplying so hostile dims cannot
	// overflow into a count that happens to match the byte count.
	elems := int64(1)
	for _, d := range v.dims {
		if d != 0 && elems > math.MaxUint32/d {
			return nil, fmt.Errorf("%w: variable %s has impossible shape %v", ErrBadSource, name, v.dims)
		}
		elems *= d
	}
	if int64(nbytes) != elems*esize {
		return nil, fmt.Errorf("%w: variable %s holds %d bytes for shape %v", ErrBadSource, name, nbytes, v.dims)
	}
	v.off, v.size = c.off, int64(nbytes)
	return v, c.skip(v.size)
}

func ct2String(c *cursor) (string, error) {
	n, err := c.u16()
	if err != nil {
		return "", err
	}
	b, err := c.bytes(int64(n))
	if err != nil {
		return "", err
	}
	if n == 0 || b[n-1] != 0 {
		return "", fmt.Errorf("%w: string at offset %d lacks its NUL", ErrBadSource, c.off-int64(n))
	}
	return string(b[:n-1]), nil
}

// lookup returns a variable by name, following an alias, and marks it used.
func (m *ct2Model) lookup(name string) (*ct2Var, error) {
	if target, ok := m.aliases[name]; ok {
		name = target
	}
	v, ok := m.vars[name]
	if !ok {
		return nil, fmt.Errorf("%w: missing variable %s", ErrBadSource, name)
	}
	m.used[name] = true
	return v, nil
}

// scalarInt reads an integer scalar such as encoder/num_heads.
func (m *ct2Model) scalarInt(name string) (int64, error) {
	v, err := m.lookup(name)
	if err != nil {
		return 0, err
	}
	if v.elements() != 1 {
		return 0, fmt.Errorf("%w: %s is not a scalar (shape %v)", ErrBadSource, name, v.dims)
	}
	b := make([]byte, v.size)
	if _, err := m.r.ReadAt(b, v.off); err != nil {
		return 0, fmt.Errorf("read %s: %w", name, err)
	}
	switch v.dtype {
	case ct2I8:
		return int64(int8(b[0])), nil
	case ct2I16:
		return int64(int16(binary.LittleEndian.Uint16(b))), nil
	case ct2I32:
		return int64(int32(binary.LittleEndian.Uint32(b))), nil
	}
	return 0, fmt.Errorf("%w: %s has non-integer dtype %d", ErrBadSource, name, v.dtype)
}
