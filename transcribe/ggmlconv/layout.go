package ggmlconv

import "fmt"

// tensorClass decides a tensor's storage type in a ggml Whisper file, the
// way whisper_model_load allocates it.
type tensorClass int

const (
	classWeight tensorClass = iota // 2-D matrices: the file's weight type
	classConv                      // conv kernels: f16, or f32 in an f32 file
	classF32                       // norms, biases, conv biases, positional embeddings
)

// tensorSpec is one tensor whisper.cpp loads, and where Convert finds it in
// a CTranslate2 model.
type tensorSpec struct {
	name  string
	ne    []int64 // ggml order: innermost (row length) first
	class tensorClass
	// src is the CTranslate2 variable. Fused variables stack parts row
	// blocks of equal size; this tensor is block part.
	src         string
	part, parts int
	// zero marks a fused key bias: whisper.cpp has no key bias, so Convert
	// only checks that it is all zeros. It is not written or expected.
	zero bool
}

func (s tensorSpec) elements() int64 {
	n := int64(1)
	for _, d := range s.ne {
		n *= d
	}
	return n
}

// layout lists every tensor of a whisper.cpp model with the given hyper
// parameters, with the CTranslate2 WhisperSpec variable it comes from.
// Names, shapes and classes follow whisper_model_load in whisper.cpp 1.9.5;
// the loader refuses a file that has any other tensor or lacks one of these.
func layout(h HParams) []tensorSpec {
	s, t := int64(h.NAudioState), int64(h.NTextState)
	var l []tensorSpec
	add := func(name string, class tensorClass, src string, ne ...int64) {
		l = append(l, tensorSpec{name: name, ne: ne, class: class, src: src, parts: 1})
	}
	// split adds the parts of a fused CTranslate2 linear layer: weight and
	// bias of each part, or a zero check where whisper.cpp has no bias.
	split := func(prefix, src string, n int64, names ...string) {
		for i, nm := range names {
			w := tensorSpec{name: prefix + nm + ".weight", ne: []int64{n, n}, class: classWeight,
				src: src + "/weight", part: i, parts: len(names)}
			b := tensorSpec{name: prefix + nm + ".bias", ne: []int64{n}, class: classF32,
				src: src + "/bias", part: i, parts: len(names), zero: nm == "key"}
			l = append(l, w, b)
		}
	}
	block := func(prefix, src string, n int64) {
		add(prefix+"attn_ln.weight", classF32, src+"self_attention/layer_norm/gamma", n)
		add(prefix+"attn_ln.bias", classF32, src+"self_attention/layer_norm/beta", n)
		split(prefix+"attn.", src+"self_attention/linear_0", n, "query", "key", "value")
		add(prefix+"attn.out.weight", classWeight, src+"self_attention/linear_1/weight", n, n)
		add(prefix+"attn.out.bias", classF32, src+"self_attention/linear_1/bias", n)
		add(prefix+"mlp_ln.weight", classF32, src+"ffn/layer_norm/gamma", n)
		add(prefix+"mlp_ln.bias", classF32, src+"ffn/layer_norm/beta", n)
		add(prefix+"mlp.0.weight", classWeight, src+"ffn/linear_0/weight", n, 4*n)
		add(prefix+"mlp.0.bias", classF32, src+"ffn/linear_0/bias", 4*n)
		add(prefix+"mlp.2.weight", classWeight, src+"ffn/linear_1/weight", 4*n, n)
		add(prefix+"mlp.2.bias", classF32, src+"ffn/linear_1/bias", n)
	}

	add("encoder.positional_embedding", classF32, "encoder/position_encodings/encodings", s, int64(h.NAudioCtx))
	add("encoder.conv1.weight", classConv, "encoder/conv1/weight", 3, int64(h.NMels), s)
	add("encoder.conv1.bias", classF32, "encoder/conv1/bias", 1, s)
	add("encoder.conv2.weight", classConv, "encoder/conv2/weight", 3, s, s)
	add("encoder.conv2.bias", classF32, "encoder/conv2/bias", 1, s)
	for i := 0; i < int(h.NAudioLayer); i++ {
		block(fmt.Sprintf("encoder.blocks.%d.", i), fmt.Sprintf("encoder/layer_%d/", i), s)
	}
	add("encoder.ln_post.weight", classF32, "encoder/layer_norm/gamma", s)
	add("encoder.ln_post.bias", classF32, "encoder/layer_norm/beta", s)

	add("decoder.positional_embedding", classF32, "decoder/position_encodings/encodings", t, int64(h.NTextCtx))
	add("decoder.token_embedding.weight", classWeight, "decoder/embeddings/weight", t, int64(h.NVocab))
	for i := 0; i < int(h.NTextLayer); i++ {
		p, src := fmt.Sprintf("decoder.blocks.%d.", i), fmt.Sprintf("decoder/layer_%d/", i)
		block(p, src, t)
		add(p+"cross_attn_ln.weight", classF32, src+"attention/layer_norm/gamma", t)
		add(p+"cross_attn_ln.bias", classF32, src+"attention/layer_norm/beta", t)
		split(p+"cross_attn.", src+"attention/linear_0", t, "query")
		split(p+"cross_attn.", src+"attention/linear_1", t, "key", "value")
		add(p+"cross_attn.out.weight", classWeight, src+"attention/linear_2/weight", t, t)
		add(p+"cross_attn.out.bias", classF32, src+"attention/linear_2/bias", t)
	}
	add("decoder.ln.weight", classF32, "decoder/layer_norm/gamma", t)
	add("decoder.ln.bias", classF32, "decoder/layer_norm/beta", t)
	return l
}

// storageType is the ggml type of a tensor of class c in a file whose 2-D
// weights are of type weights.
func storageType(c tensorClass, weights ggmlType) ggmlType {
	switch c {
	case classWeight:
		return weights
	case classConv:
		if weights == typeF32 {
			return typeF32
		}
		return typeF16
	}
	return typeF32
}
