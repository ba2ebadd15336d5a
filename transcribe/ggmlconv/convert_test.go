package ggmlconv

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// want describes a tensor whisper.cpp 1.9.5 loads (names and shapes from
// whisper_model_load), for the 1-layer synthetic model, and which block of
// which CTranslate2 variable must end up in it.
type want struct {
	ne          []int64
	class       string // "w": weight type, "conv": f16, "f32"
	src         string
	part, parts int
}

func wantTensors() map[string]want {
	const s, m = fakeState, fakeMels
	w := map[string]want{
		"encoder.positional_embedding":   {[]int64{s, fakeACtx}, "f32", "encoder/position_encodings/encodings", 0, 1},
		"encoder.conv1.weight":           {[]int64{3, m, s}, "conv", "encoder/conv1/weight", 0, 1},
		"encoder.conv1.bias":             {[]int64{1, s}, "f32", "encoder/conv1/bias", 0, 1},
		"encoder.conv2.weight":           {[]int64{3, s, s}, "conv", "encoder/conv2/weight", 0, 1},
		"encoder.conv2.bias":             {[]int64{1, s}, "f32", "encoder/conv2/bias", 0, 1},
		"encoder.ln_post.weight":         {[]int64{s}, "f32", "encoder/layer_norm/gamma", 0, 1},
		"encoder.ln_post.bias":           {[]int64{s}, "f32", "encoder/layer_norm/beta", 0, 1},
		"decoder.positional_embedding":   {[]int64{s, fakeTCtx}, "f32", "decoder/position_encodings/encodings", 0, 1},
		"decoder.token_embedding.weight": {[]int64{s, fakeVocab}, "w", "decoder/embeddings/weight", 0, 1},
		"decoder.ln.weight":              {[]int64{s}, "f32", "decoder/layer_norm/gamma", 0, 1},
		"decoder.ln.bias":                {[]int64{s}, "f32", "decoder/layer_norm/beta", 0, 1},
	}
	for _, side := range []string{"encoder", "decoder"} {
		g, c := side+".blocks.0.", side+"/layer_0/"
		sa := c + "self_attention/"
		w[g+"attn_ln.weight"] = want{[]int64{s}, "f32", sa + "layer_norm/gamma", 0, 1}
		w[g+"attn_ln.bias"] = want{[]int64{s}, "f32", sa + "layer_norm/beta", 0, 1}
		w[g+"attn.query.weight"] = want{[]int64{s, s}, "w", sa + "linear_0/weight", 0, 3}
		w[g+"attn.query.bias"] = want{[]int64{s}, "f32", sa + "linear_0/bias", 0, 3}
		w[g+"attn.key.weight"] = want{[]int64{s, s}, "w", sa + "linear_0/weight", 1, 3}
		w[g+"attn.value.weight"] = want{[]int64{s, s}, "w", sa + "linear_0/weight", 2, 3}
		w[g+"attn.value.bias"] = want{[]int64{s}, "f32", sa + "linear_0/bias", 2, 3}
		w[g+"attn.out.weight"] = want{[]int64{s, s}, "w", sa + "linear_1/weight", 0, 1}
		w[g+"attn.out.bias"] = want{[]int64{s}, "f32", sa + "linear_1/bias", 0, 1}
		w[g+"mlp_ln.weight"] = want{[]int64{s}, "f32", c + "ffn/layer_norm/gamma", 0, 1}
		w[g+"mlp_ln.bias"] = want{[]int64{s}, "f32", c + "ffn/layer_norm/beta", 0, 1}
		w[g+"mlp.0.weight"] = want{[]int64{s, 4 * s}, "w", c + "ffn/linear_0/weight", 0, 1}
		w[g+"mlp.0.bias"] = want{[]int64{4 * s}, "f32", c + "ffn/linear_0/bias", 0, 1}
		w[g+"mlp.2.weight"] = want{[]int64{4 * s, s}, "w", c + "ffn/linear_1/weight", 0, 1}
		w[g+"mlp.2.bias"] = want{[]int64{s}, "f32", c + "ffn/linear_1/bias", 0, 1}
	}
	g, ca := "decoder.blocks.0.cross_attn", "decoder/layer_0/attention/"
	w[g+"_ln.weight"] = want{[]int64{s}, "f32", ca + "layer_norm/gamma", 0, 1}
	w[g+"_ln.bias"] = want{[]int64{s}, "f32", ca + "layer_norm/beta", 0, 1}
	w[g+".query.weight"] = want{[]int64{s, s}, "w", ca + "linear_0/weight", 0, 1}
	w[g+".query.bias"] = want{[]int64{s}, "f32", ca + "linear_0/bias", 0, 1}
	w[g+".key.weight"] = want{[]int64{s, s}, "w", ca + "linear_1/weight", 0, 2}
	w[g+".value.weight"] = want{[]int64{s, s}, "w", ca + "linear_1/weight", 1, 2}
	w[g+".value.bias"] = want{[]int64{s}, "f32", ca + "linear_1/bias", 1, 2}
	w[g+".out.weight"] = want{[]int64{s, s}, "w", ca + "linear_2/weight", 0, 1}
	w[g+".out.bias"] = want{[]int64{s}, "f32", ca + "linear_2/bias", 0, 1}
	return w
}

func convertFake(t *testing.T, m *fakeModel, toks []string, opts Options) (parsedGGML, Info, []byte) {
	t.Helper()
	dir := writeFake(t, m, toks, false)
	var buf bytes.Buffer
	info, err := Convert(dir, &buf, opts)
	if err != nil {
		t.Fatal(err)
	}
	return parseGGML(t, buf.Bytes()), info, buf.Bytes()
}

func TestConvertF16(t *testing.T) {
	m := newFakeModel(fakeVocab)
	p, info, out := convertFake(t, m, fakeTokens(fakeVocab, false), Options{})

	wantHP := [11]int32{fakeVocab, fakeACtx, fakeState, fakeHeads, 1, fakeTCtx, fakeState, fakeHeads, 1, fakeMels, 1}
	if p.hp != wantHP {
		t.Errorf("hparams = %v, want %v", p.hp, wantHP)
	}
	if p.nMel != fakeMels || p.nFFT != 201 || len(p.filters) != fakeMels*201 {
		t.Errorf("mel filters %dx%d (%d values), want %dx201", p.nMel, p.nFFT, len(p.filters), fakeMels)
	}
	// Ordinary tokens only, decoded from GPT-2's byte alphabet.
	if len(p.tokens) != 50256 {
		t.Fatalf("%d tokens written, want 50256", len(p.tokens))
	}
	for i, w := range []string{" the", "\n", "\xc3\xa9", "t3"} {
		if string(p.tokens[i]) != w {
			t.Errorf("token %d = %q, want %q", i, p.tokens[i], w)
		}
	}
	if info.Size != int64(len(out)) || info.Tensors != len(p.tensors) || info.Tokens != 50256 || info.Multilingual {
		t.Errorf("info = %+v; file has %d bytes, %d tensors", info, len(out), len(p.tensors))
	}
	checkTensors(t, m, p, 1)
}

func TestConvertQ8_0(t *testing.T) {
	m := newFakeModel(fakeVocab)
	p, info, _ := convertFake(t, m, fakeTokens(fakeVocab, false), Options{Type: Q8_0})
	if p.hp[10] != 2007 || info.HParams.FType != 2007 || info.WeightType != "q8_0" {
		t.Errorf("ftype %d / info %+v, want 2007 q8_0", p.hp[10], info)
	}
	checkTensors(t, m, p, 8)
}

// checkTensors compares every written tensor with its source block:
// exact bytes for f16, exact values for f32, within half a quantisation
// step for q8_0.
func checkTensors(t *testing.T, m *fakeModel, p parsedGGML, weightType int32) {
	t.Helper()
	wants := wantTensors()
	var names []string
	for n := range wants {
		names = append(names, n)
	}
	slices.Sort(names)
	got := slices.Sorted(func(yield func(string) bool) {
		for n := range p.tensors {
			if !yield(n) {
				return
			}
		}
	})
	if !slices.Equal(got, names) {
		t.Fatalf("tensors\n got %v\nwant %v", got, names)
	}
	for _, name := range names {
		w, pt := wants[name], p.tensors[name]
		typ := map[string]int32{"w": weightType, "conv": 1, "f32": 0}[w.class]
		if !slices.Equal(pt.ne, w.ne) || pt.typ != typ {
			t.Errorf("%s: shape %v type %d, want %v type %d", name, pt.ne, pt.typ, w.ne, typ)
			continue
		}
		src := m.get(w.src)
		n := len(src.vals) / w.parts
		vals := src.vals[w.part*n : (w.part+1)*n]
		switch typ {
		case 1:
			if !bytes.Equal(pt.data, src.data[2*w.part*n:2*(w.part+1)*n]) {
				t.Errorf("%s: f16 data differs from block %d of %s", name, w.part, w.src)
			}
		case 0:
			for i, v := range vals {
				if g := math.Float32frombits(binary.LittleEndian.Uint32(pt.data[4*i:])); g != v {
					t.Errorf("%s[%d] = %g, want %g", name, i, g, v)
					break
				}
			}
		case 8:
			checkQ8(t, name, pt.data, vals)
		}
	}
}

func checkQ8(t *testing.T, name string, data []byte, vals []float32) {
	t.Helper()
	if len(data) != len(vals)/32*34 {
		t.Fatalf("%s: %d q8_0 bytes for %d values", name, len(data), len(vals))
	}
	for b := 0; b < len(vals)/32; b++ {
		blk := data[34*b:]
		d := halfToFloat(binary.LittleEndian.Uint16(blk))
		for j := 0; j < 32; j++ {
			x := vals[32*b+j]
			// Half a step, plus the f16 rounding of the scale over up to 127 steps.
			if got := d * float32(int8(blk[2+j])); math.Abs(float64(got-x)) > float64(d)*(0.5+127.0/2048) {
				t.Fatalf("%s block %d[%d]: %g decodes to %g (scale %g)", name, b, j, x, got, d)
			}
		}
	}
}

func TestConvertMultilingualJSONVocabulary(t *testing.T) {
	const n = 51865
	m := newFakeModel(n)
	dir := writeFake(t, m, fakeTokens(n, true), true)
	var buf bytes.Buffer
	info, err := Convert(dir, &buf, Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := parseGGML(t, buf.Bytes())
	if !info.Multilingual || info.HParams.NVocab != n || len(p.tokens) != 50257 || len(p.tokens[50256]) != 0 {
		t.Errorf("info %+v, %d tokens (last %q); want multilingual, 50257 tokens ending with an empty one",
			info, len(p.tokens), p.tokens[len(p.tokens)-1])
	}
}

func TestConvertTiedCopyAccepted(t *testing.T) {
	m := newFakeModel(fakeVocab)
	m.aliases = nil
	emb := m.get("decoder/embeddings/weight")
	m.vars = append(m.vars, &fakeVar{name: "decoder/projection/weight", dims: emb.dims, dtype: emb.dtype, data: emb.data})
	var buf bytes.Buffer
	if _, err := Convert(writeFake(t, m, fakeTokens(fakeVocab, false), false), &buf, Options{}); err != nil {
		t.Fatal(err)
	}
}

func TestConvertUnknownWeightType(t *testing.T) {
	dir := writeFake(t, newFakeModel(fakeVocab), fakeTokens(fakeVocab, false), false)
	var buf bytes.Buffer
	if _, err := Convert(dir, &buf, Options{Type: WeightType(9)}); !errors.Is(err, ErrUnsupported) {
		t.Errorf("err = %v, want ErrUnsupported", err)
	}
}

func TestConvertFileKeepsOldFileOnError(t *testing.T) {
	m := newFakeModel(fakeVocab)
	m.remove("encoder/conv2/bias")
	src := writeFake(t, m, fakeTokens(fakeVocab, false), false)
	outDir := t.TempDir()
	out := filepath.Join(outDir, "ggml.bin")
	if err := os.WriteFile(out, []byte("previous model"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ConvertFile(src, out, Options{}); !errors.Is(err, ErrBadSource) {
		t.Fatalf("err = %v, want ErrBadSource", err)
	}
	if b, _ := os.ReadFile(out); string(b) != "previous model" {
		t.Errorf("output replaced by %d bytes after a failed conversion", len(b))
	}
	if entries, _ := os.ReadDir(outDir); len(entries) != 1 {
		t.Errorf("%d entries left in the output folder, want only the old file", len(entries))
	}
}
