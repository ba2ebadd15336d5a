package vad

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Shapes of the 16 kHz Silero v5/v6 network.
const (
	fftSize   = 256           // STFT frame length in samples
	fftHop    = 128           // STFT hop in samples
	fftBins   = fftSize/2 + 1 // 129 magnitude bins
	fftFrames = 4             // frames over context+window+reflection pad
	hidden    = 128           // LSTM state width
	gates     = 4 * hidden    // LSTM gate rows
	padded    = 640           // 64 context + 512 window + 64 reflected
)

// convLayer is one encoder convolution (kernel 3, padding 1). w is laid out
// [out][in][3] exactly as in ONNX, which is also the row order of the im2col
// buffer the kernel builds, so each output is one contiguous dot product.
type convLayer struct {
	in, out, stride int
	w, b            []float32
}

// weights are the network parameters in the layouts the kernels use.
type weights struct {
	// window is the STFT's analysis window, read from the model's
	// Fourier basis ([258][256]: 129 real rows, then 129 imaginary rows).
	window [fftSize]float64
	enc    [4]convLayer
	// lstmW is [512][256]: for each gate row, 128 input weights followed by
	// 128 recurrent weights, so one dot product against [x; h] gives the row.
	// Gate blocks are in PyTorch order: input, forget, cell, output.
	lstmW []float32
	lstmB []float32 // [512]: input bias + recurrent bias
	outW  []float32 // [128]
	outB  float32
}

// encoderShapes are the four encoder convolutions: in, out, stride.
var encoderShapes = [4][3]int{{fftBins, 128, 1}, {128, 64, 2}, {64, 64, 2}, {64, 128, 1}}

// tensorNaming is how one family of exports names the tensors. The silero-vad
// wheel's files use PyTorch module paths under a prefix ("model." or an If
// branch's inline prefix); faster-whisper's export and silero-vad's sequence
// export use their own names and hand the LSTM weights to the ONNX LSTM node
// under generated names.
type tensorNaming struct {
	basis, encW, encB, outW, outB string
}

var namings = []tensorNaming{
	{"stft.forward_basis_buffer", "encoder.%d.reparam_conv.weight", "encoder.%d.reparam_conv.bias", "decoder.decoder.2.weight", "decoder.decoder.2.bias"},
	{"encoder.feature_extractor.forward_basis_buffer", "encoder.conv_layers.%d.weight", "encoder.conv_layers.%d.bias", "decoder.conv1d.weight", "decoder.conv1d.bias"},
	{"stft.forward_basis_buffer", "encoder.%d.weight", "encoder.%d.bias", "output.weight", "output.bias"},
}

var basisDims = []int64{2 * fftBins, 1, fftSize}

// extractWeights finds the 16 kHz network in a scanned model. A file may hold
// an 8 kHz network too (silero_vad.onnx has both, in two If branches); the
// 16 kHz STFT basis has a shape of its own, and its name's prefix then
// selects the rest of the same network.
func extractWeights(c *onnxContents) (*weights, error) {
	type candidate struct {
		prefix string
		naming tensorNaming
	}
	var found []candidate
	var wrongShape error
	for _, name := range sortedNames(c.tensors) {
		for _, n := range namings {
			if !strings.HasSuffix(name, n.basis) {
				continue
			}
			if !slices.Equal(c.tensors[name].dims, basisDims) {
				wrongShape = fmt.Errorf("%w: %q is %v, want %v (an 8 kHz-only model?)", ErrWeightShape, name, c.tensors[name].dims, basisDims)
				continue
			}
			found = append(found, candidate{strings.TrimSuffix(name, n.basis), n})
		}
	}
	if len(found) == 0 {
		if wrongShape != nil {
			return nil, wrongShape
		}
		return nil, fmt.Errorf("%w: no STFT basis (is this a Silero VAD v5/v6 ONNX file?)", ErrMissingWeights)
	}
	var firstErr error
	for _, cand := range found {
		w, err := c.weightsAt(cand.prefix, cand.naming)
		if err == nil {
			return w, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return nil, firstErr
}

func sortedNames(m map[string]*onnxTensor) []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// tensor returns the named tensor's floats after checking its shape.
func (c *onnxContents) tensor(name string, dims ...int64) ([]float32, error) {
	t, ok := c.tensors[name]
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrMissingWeights, name)
	}
	if !slices.Equal(t.dims, dims) {
		return nil, fmt.Errorf("%w: %q is %v, want %v", ErrWeightShape, name, t.dims, dims)
	}
	return t.floats()
}
