package vad

import (
	"errors"
	"os"
	"testing"
)

// FuzzParseModel feeds arbitrary bytes to the ONNX reader: it must return
// one of the package's errors, never panic or hang. Seeds stay a few KB,
// since the fuzzer crawls on megabyte inputs: the heads of a synthetic and of
// the real model, a corrupted copy, and a small If/Constant/LSTM graph.
func FuzzParseModel(f *testing.F) {
	good := pbModel(pbGraph(nil, sileroTensors("model.", "", basisDims)))
	f.Add(good[:300])
	corrupt := append([]byte(nil), good[:2000]...)
	corrupt[7] ^= 0xff
	f.Add(corrupt)
	constant := pbNode("Constant", nil, []string{"m.stft.forward_basis_buffer"},
		pbBytes(nil, attrTensor, pbTensor("", dataTypeFloat, []int64{2, 1, 2}, filled(4, 1))))
	lstm := pbNode("LSTM", []string{"x", "w", "r", "b"}, []string{"y"})
	branch := pbBytes(nil, attrGraph, pbGraph([][]byte{constant, lstm}, [][]byte{pbTensor("w", dataTypeFloat, []int64{1, 2}, filled(2, 0))}))
	f.Add(pbModel(pbGraph([][]byte{pbNode("If", []string{"c"}, []string{"y"}, branch)}, nil)))
	if real, err := os.ReadFile(modelPath()); err == nil {
		f.Add(real[:4096])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := parseModel(data)
		if err == nil {
			if m == nil || m.w == nil {
				t.Fatal("nil model without an error")
			}
			return
		}
		known := []error{ErrMalformedModel, ErrMissingWeights, ErrWeightShape, ErrWeightData}
		for _, k := range known {
			if errors.Is(err, k) {
				return
			}
		}
		t.Fatalf("error outside the package's sentinels: %v", err)
	})
}
