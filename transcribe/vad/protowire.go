package vad

import (
	"encoding/binary"
	"fmt"
)

// Protocol buffer wire types (the low three bits of a field key).
const (
	wireVarint  = 0
	wireFixed64 = 1
	wireBytes   = 2
	wireFixed32 = 5
)

// protoField is one decoded field of a protobuf message. Only the member that
// matches wireType is set; bytes aliases the message buffer, not a copy, so
// that a 2 MB weight tensor is never duplicated while the file is scanned.
type protoField struct {
	num      uint64
	wireType int
	varint   uint64
	bytes    []byte
}

// protoReader walks the fields of one message in order. The schema-free
// walk is enough here because ONNX tensors, nodes and graphs are found by
// field number alone and every other field is skipped.
type protoReader struct {
	buf []byte
	off int
}

// next returns the next field, or ok false at the end of the message. A
// truncated or nonsensical encoding is an error, never a panic: the file comes
// from outside the program.
func (r *protoReader) next() (f protoField, ok bool, err error) {
	if r.off >= len(r.buf) {
		return f, false, nil
	}
	key, err := r.varint()
	if err != nil {
		return f, false, err
	}
	f.num, f.wireType = key>>3, int(key&7)
	if f.num == 0 {
		return f, false, r.errorf("field number 0")
	}
	switch f.wireType {
	case wireVarint:
		f.varint, err = r.varint()
	case wireFixed64:
		f.bytes, err = r.take(8)
	case wireFixed32:
		f.bytes, err = r.take(4)
	case wireBytes:
		var n uint64
		if n, err = r.varint(); err == nil {
			if n > uint64(len(r.buf)-r.off) {
				return f, false, r.errorf("length %d past the end", n)
			}
			f.bytes, err = r.take(int(n))
		}
	default:
		// Groups (3, 4) were never used by ONNX; 6 and 7 are invalid.
		return f, false, r.errorf("unsupported wire type %d", f.wireType)
	}
	return f, err == nil, err
}

func (r *protoReader) varint() (uint64, error) {
	v, n := binary.Uvarint(r.buf[r.off:])
	if n <= 0 {
		return 0, r.errorf("bad varint")
	}
	r.off += n
	return v, nil
}

func (r *protoReader) take(n int) ([]byte, error) {
	if n > len(r.buf)-r.off {
		return nil, r.errorf("%d bytes past the end", n)
	}
	b := r.buf[r.off : r.off+n : r.off+n]
	r.off += n
	return b, nil
}

func (r *protoReader) errorf(format string, args ...any) error {
	return fmt.Errorf("%w: at byte %d of a message: %s", ErrMalformedModel, r.off, fmt.Sprintf(format, args...))
}

// appendVarints decodes a repeated integer field, which protobuf writers may
// emit either packed (one length-delimited field) or one varint per element.
func appendVarints(dst []int64, f protoField) ([]int64, error) {
	switch f.wireType {
	case wireVarint:
		return append(dst, int64(f.varint)), nil
	case wireBytes:
		r := protoReader{buf: f.bytes}
		for r.off < len(r.buf) {
			v, err := r.varint()
			if err != nil {
				return dst, err
			}
			dst = append(dst, int64(v))
		}
		return dst, nil
	}
	return dst, fmt.Errorf("%w: integer list with wire type %d", ErrMalformedModel, f.wireType)
}
