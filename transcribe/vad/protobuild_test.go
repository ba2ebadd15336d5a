package vad

import (
	"encoding/binary"
	"math"
)

// A minimal protobuf writer for building ONNX files in tests: just the field
// kinds the reader looks at.

func pbKey(dst []byte, num, wire int) []byte {
	return binary.AppendUvarint(dst, uint64(num)<<3|uint64(wire))
}

func pbVarint(dst []byte, num int, v uint64) []byte {
	return binary.AppendUvarint(pbKey(dst, num, wireVarint), v)
}

func pbBytes(dst []byte, num int, b []byte) []byte {
	dst = binary.AppendUvarint(pbKey(dst, num, wireBytes), uint64(len(b)))
	return append(dst, b...)
}

func pbString(dst []byte, num int, s string) []byte { return pbBytes(dst, num, []byte(s)) }

// pbTensor encodes a TensorProto with packed dims and raw little-endian data.
func pbTensor(name string, dataType int, dims []int64, values []float32) []byte {
	var packed []byte
	for _, d := range dims {
		packed = binary.AppendUvarint(packed, uint64(d))
	}
	var raw []byte
	for _, v := range values {
		raw = binary.LittleEndian.AppendUint32(raw, math.Float32bits(v))
	}
	t := pbBytes(nil, tensorDims, packed)
	t = pbVarint(t, tensorDataType, uint64(dataType))
	t = pbString(t, tensorName, name)
	return pbBytes(t, tensorRawData, raw)
}

// pbNode encodes a NodeProto; attrs are already-encoded AttributeProtos.
func pbNode(op string, inputs, outputs []string, attrs ...[]byte) []byte {
	var n []byte
	for _, in := range inputs {
		n = pbString(n, nodeInput, in)
	}
	for _, out := range outputs {
		n = pbString(n, nodeOutput, out)
	}
	n = pbString(n, nodeOpType, op)
	for _, a := range attrs {
		n = pbBytes(n, nodeAttribute, a)
	}
	return n
}

// pbGraph encodes a GraphProto from encoded nodes and initializers.
func pbGraph(nodes, inits [][]byte) []byte {
	var g []byte
	for _, n := range nodes {
		g = pbBytes(g, graphNode, n)
	}
	for _, t := range inits {
		g = pbBytes(g, graphInitializer, t)
	}
	return g
}

// pbModel wraps a graph in a ModelProto with an IR version in front, as real
// exporters write it.
func pbModel(graph []byte) []byte {
	return pbBytes(pbVarint(nil, 1, 8), modelGraph, graph)
}

func filled(n int, v float32) []float32 {
	out := make([]float32, n)
	for i := range out {
		out[i] = v
	}
	return out
}
