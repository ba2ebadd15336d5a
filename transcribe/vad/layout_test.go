package vad

import (
	"os"
	"testing"
)

// TestONNXLSTMLayout rebuilds the committed model the way faster-whisper's
// export stores it (other tensor names, LSTM weights handed to an ONNX LSTM
// node in input-output-forget-cell gate order) and checks that both files
// give the same probabilities. A wrong gate reordering would change them.
func TestONNXLSTMLayout(t *testing.T) {
	data, err := os.ReadFile(modelPath())
	if err != nil {
		t.Skipf("needs %s: %v", defaultModel, err)
	}
	c, err := readONNX(data)
	if err != nil {
		t.Fatal(err)
	}
	get := func(name string) []float32 {
		v, err := c.tensors[name].floats()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	init := func(name, from string, dims ...int64) []byte {
		return pbTensor(name, dataTypeFloat, dims, get(from))
	}
	var inits [][]byte
	inits = append(inits, init("encoder.feature_extractor.forward_basis_buffer", "model.stft.forward_basis_buffer", basisDims...))
	for i, s := range encoderShapes {
		from := "model.encoder." + string(rune('0'+i)) + ".reparam_conv."
		to := "encoder.conv_layers." + string(rune('0'+i)) + "."
		inits = append(inits,
			init(to+"weight", from+"weight", int64(s[1]), int64(s[0]), 3),
			init(to+"bias", from+"bias", int64(s[1])))
	}
	inits = append(inits,
		init("decoder.conv1d.weight", "model.decoder.decoder.2.weight", 1, hidden, 1),
		init("decoder.conv1d.bias", "model.decoder.decoder.2.bias", 1))
	// PyTorch gate blocks i, f, g, o become ONNX blocks i, o, f, c.
	toONNX := func(m []float32, rowLen int) []float32 {
		var out []float32
		for _, block := range []int{0, 3, 1, 2} {
			out = append(out, m[block*hidden*rowLen:(block+1)*hidden*rowLen]...)
		}
		return out
	}
	bias := append(toONNX(get("model.decoder.rnn.bias_ih"), 1), toONNX(get("model.decoder.rnn.bias_hh"), 1)...)
	inits = append(inits,
		pbTensor("onnx::LSTM_209", dataTypeFloat, []int64{1, gates, hidden}, toONNX(get("model.decoder.rnn.weight_ih"), hidden)),
		pbTensor("onnx::LSTM_210", dataTypeFloat, []int64{1, gates, hidden}, toONNX(get("model.decoder.rnn.weight_hh"), hidden)),
		pbTensor("onnx::LSTM_211", dataTypeFloat, []int64{1, 2 * gates}, bias))
	lstm := pbNode("LSTM", []string{"x", "onnx::LSTM_209", "onnx::LSTM_210", "onnx::LSTM_211", "", "h", "c"}, []string{"y", "hn", "cn"})
	rebuilt, err := parseModel(pbModel(pbGraph([][]byte{lstm}, inits)))
	if err != nil {
		t.Fatal(err)
	}
	original, err := parseModel(data)
	if err != nil {
		t.Fatal(err)
	}
	audio := readWAV16(t, testdataPath("parity_clip.wav"))[:60*WindowSamples]
	want := original.NewDetector().Process(nil, audio)
	got := rebuilt.NewDetector().Process(nil, audio)
	if diff := maxAbsDiff(t, "rebuilt", got, want); diff != 0 {
		t.Errorf("ONNX-LSTM layout differs from PyTorch layout by up to %g", diff)
	}
}
