package vad

import (
	"encoding/binary"
	"fmt"
	"math"
)

// onnxTensor is a stored tensor found anywhere in the model: a graph
// initializer or the value of a Constant node (named after the node's output).
// Its data is decoded only when the tensor turns out to be needed.
type onnxTensor struct {
	name      string
	dims      []int64
	dataType  int64
	external  bool
	raw       []byte // raw_data, little-endian
	floatData []byte // float_data (packed, or gathered from unpacked fields), little-endian
}

// maxTensorElements is far above the largest Silero tensor (131,072 floats).
const maxTensorElements = 1 << 24

func readTensor(buf []byte) (*onnxTensor, error) {
	t := &onnxTensor{}
	r := protoReader{buf: buf}
	for {
		f, ok, err := r.next()
		if err != nil {
			return nil, err
		}
		if !ok {
			return t, nil
		}
		switch {
		case f.num == tensorDims:
			if t.dims, err = appendVarints(t.dims, f); err != nil {
				return nil, err
			}
		case f.num == tensorDataType && f.wireType == wireVarint:
			t.dataType = int64(f.varint)
		case f.num == tensorName && f.wireType == wireBytes:
			t.name = string(f.bytes)
		case f.num == tensorRawData && f.wireType == wireBytes:
			t.raw = f.bytes
		case f.num == tensorFloatData && (f.wireType == wireBytes || f.wireType == wireFixed32):
			// Unpacked floats arrive one fixed32 field at a time; gathering
			// them keeps one code path for both encodings.
			t.floatData = append(t.floatData[:len(t.floatData):len(t.floatData)], f.bytes...)
		case f.num == tensorDataLocation && f.wireType == wireVarint:
			t.external = f.varint == locationExternal
		}
	}
}

// floats decodes the tensor as float32 values, checking that the data and
// the shape agree.
func (t *onnxTensor) floats() ([]float32, error) {
	if t.dataType != dataTypeFloat {
		return nil, fmt.Errorf("%w: %q has data type %d, want float32", ErrWeightData, t.name, t.dataType)
	}
	if t.external {
		return nil, fmt.Errorf("%w: %q is stored in an external file", ErrWeightData, t.name)
	}
	data := t.raw
	if len(data) == 0 {
		data = t.floatData
	}
	n := 1
	for _, d := range t.dims {
		// The bound keeps a hostile shape from overflowing n; no Silero
		// tensor comes near it.
		if d < 0 || d > maxTensorElements || n*int(d) > maxTensorElements {
			return nil, fmt.Errorf("%w: %q has shape %v", ErrWeightData, t.name, t.dims)
		}
		n *= int(d)
	}
	if len(data) != 4*n {
		return nil, fmt.Errorf("%w: %q holds %d bytes for %d floats", ErrWeightData, t.name, len(data), n)
	}
	out := make([]float32, n)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(data[4*i:]))
	}
	return out, nil
}
