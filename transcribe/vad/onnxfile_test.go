package vad

import (
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// sileroTensors returns encoded initializers of a 16 kHz Silero network in
// the silero-vad wheel's naming, under prefix, with constant weights but a
// real STFT basis (the loader checks it); skip
// drops one tensor by name suffix and basisShape sets the STFT basis shape.
func sileroTensors(prefix string, skip string, basisShape []int64) [][]byte {
	_, out := namedSileroTensors(prefix, skip, basisShape)
	return out
}

func namedSileroTensors(prefix string, skip string, basisShape []int64) (names []string, out [][]byte) {
	add := func(name string, dims ...int64) {
		if skip != "" && strings.HasSuffix(name, skip) {
			return
		}
		n := 1
		for _, d := range dims {
			n *= int(d)
		}
		data := filled(n, 0.01)
		if slices.Equal(dims, basisDims) {
			data = hannFourierBasis()
		}
		names = append(names, prefix+name)
		out = append(out, pbTensor(prefix+name, dataTypeFloat, dims, data))
	}
	add("stft.forward_basis_buffer", basisShape...)
	for i, s := range encoderShapes {
		add("encoder."+string(rune('0'+i))+".reparam_conv.weight", int64(s[1]), int64(s[0]), 3)
		add("encoder."+string(rune('0'+i))+".reparam_conv.bias", int64(s[1]))
	}
	add("decoder.rnn.weight_ih", gates, hidden)
	add("decoder.rnn.weight_hh", gates, hidden)
	add("decoder.rnn.bias_ih", gates)
	add("decoder.rnn.bias_hh", gates)
	add("decoder.decoder.2.weight", 1, hidden, 1)
	add("decoder.decoder.2.bias", 1)
	return names, out
}

// hannFourierBasis is torch.stft's basis as Silero exports it: a periodic
// Hann window times the cosine rows, then times the negated sine rows.
func hannFourierBasis() []float32 {
	b := make([]float32, 2*fftBins*fftSize)
	for k := 0; k < fftBins; k++ {
		for n := 0; n < fftSize; n++ {
			w := 0.5 - 0.5*math.Cos(2*math.Pi*float64(n)/fftSize)
			phase := 2 * math.Pi * float64(k*n) / fftSize
			b[k*fftSize+n] = float32(w * math.Cos(phase))
			b[(fftBins+k)*fftSize+n] = float32(-w * math.Sin(phase))
		}
	}
	return b
}

func TestLoadErrors(t *testing.T) {
	good := pbModel(pbGraph(nil, sileroTensors("model.", "", basisDims)))
	badType := pbModel(pbGraph(nil, append(sileroTensors("model.", "decoder.decoder.2.bias", basisDims),
		pbTensor("model.decoder.decoder.2.bias", 7, []int64{1}, []float32{0}))))
	short := pbModel(pbGraph(nil, append(sileroTensors("model.", "decoder.decoder.2.bias", basisDims),
		pbTensor("model.decoder.decoder.2.bias", dataTypeFloat, []int64{1}, nil))))
	// A basis whose rows are not the window times the Fourier terms cannot be
	// computed by FFT: the same window, one bin's phase turned by a sample.
	skewed := hannFourierBasis()
	row := slices.Clone(skewed[5*fftSize : 6*fftSize])
	copy(skewed[5*fftSize:], append(row[1:], row[0]))
	notFourier := pbModel(pbGraph(nil, append(sileroTensors("model.", "stft.forward_basis_buffer", basisDims),
		pbTensor("model.stft.forward_basis_buffer", dataTypeFloat, basisDims, skewed))))
	cases := []struct {
		name string
		data []byte
		want error
	}{
		{"empty file", nil, ErrMalformedModel},
		{"text file", []byte("this is not a model\n"), ErrMalformedModel},
		{"truncated", good[:len(good)-100], ErrMalformedModel},
		{"graph without weights", pbModel(pbGraph([][]byte{pbNode("Relu", []string{"x"}, []string{"y"})}, nil)), ErrMissingWeights},
		{"8 kHz only", pbModel(pbGraph(nil, sileroTensors("model_8k.", "", []int64{130, 1, 128}))), ErrWeightShape},
		{"missing encoder layer", pbModel(pbGraph(nil, sileroTensors("model.", "encoder.2.reparam_conv.weight", basisDims))), ErrMissingWeights},
		{"missing LSTM", pbModel(pbGraph(nil, sileroTensors("model.", "decoder.rnn.weight_ih", basisDims))), ErrMissingWeights},
		{"int64 bias", badType, ErrWeightData},
		{"data shorter than shape", short, ErrWeightData},
		{"STFT basis not Fourier", notFourier, ErrWeightData},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "model.onnx")
			if err := os.WriteFile(path, tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			m, err := Load(path)
			if !errors.Is(err, tc.want) || m != nil {
				t.Fatalf("Load = %v, %v; want error %v", m, err, tc.want)
			}
			if !strings.Contains(err.Error(), path) {
				t.Errorf("error %q does not name the file", err)
			}
		})
	}
	if _, err := parseModel(good); err != nil {
		t.Fatalf("the well-formed synthetic model behind these cases fails to load: %v", err)
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "absent.onnx"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Load of an absent file = %v, want fs.ErrNotExist", err)
	}
}

// TestNestedSubgraphLimit feeds If nodes nested past maxGraphDepth.
func TestNestedSubgraphLimit(t *testing.T) {
	g := pbGraph(nil, nil)
	for range maxGraphDepth + 2 {
		attr := pbBytes(pbString(nil, 1, "then_branch"), attrGraph, g)
		g = pbGraph([][]byte{pbNode("If", []string{"c"}, []string{"y"}, attr)}, nil)
	}
	if _, err := parseModel(pbModel(g)); !errors.Is(err, ErrMalformedModel) {
		t.Fatalf("deep nesting: %v, want ErrMalformedModel", err)
	}
}

// TestWeightsInsideIfBranch mirrors silero_vad.onnx, whose 16 kHz and 8 kHz
// networks are Constant nodes inside the two branches of an If: the 16 kHz
// one must be chosen by its STFT shape, whichever branch it is in.
func TestWeightsInsideIfBranch(t *testing.T) {
	branch := func(prefix string, basis []int64) []byte {
		var nodes [][]byte
		names, tensors := namedSileroTensors(prefix, "", basis)
		for i, enc := range tensors {
			value := pbBytes(pbString(nil, 1, "value"), attrTensor, enc)
			nodes = append(nodes, pbNode("Constant", nil, []string{names[i]}, value))
		}
		return pbGraph(nodes, nil)
	}
	then := pbBytes(pbString(nil, 1, "then_branch"), attrGraph, branch("If_0_then_branch__", []int64{130, 1, 128}))
	els := pbBytes(pbString(nil, 1, "else_branch"), attrGraph, branch("If_0_else_branch__", basisDims))
	model := pbModel(pbGraph([][]byte{pbNode("If", []string{"is8k"}, []string{"out"}, then, els)}, nil))
	if _, err := parseModel(model); err != nil {
		t.Fatalf("16 kHz network inside an If branch: %v", err)
	}
}
