package ggmlconv

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// fakeVar is one variable of a synthetic CTranslate2 model.bin.
type fakeVar struct {
	name  string
	dims  []int64
	dtype uint8
	data  []byte
	vals  []float32 // the float values behind data, for expectations
}

// fakeModel builds a small but complete WhisperSpec model.bin, the way
// CTranslate2's ModelSpec._serialize lays it out, with float16 values from
// a pattern that differs per variable, row and column.
type fakeModel struct {
	version uint32
	spec    string
	vars    []*fakeVar
	aliases [][2]string
	n       int // pattern seed
}

// fakeDims are the synthetic model's sizes: small, but with rows of 32 so
// q8_0 applies, and a vocabulary that reaches whisper.cpp's fixed
// end-of-text id.
const (
	fakeState  = 32
	fakeHeads  = 2
	fakeMels   = 8
	fakeACtx   = 10
	fakeTCtx   = 6
	fakeVocab  = 50260 // tokens 0..50255, end-of-text 50256, 3 specials
	fakeLayers = 1
)

func pattern(seed, i int) float32 { return float32((seed*131+i*7)%251-125) / 64 }

func (m *fakeModel) f16(name string, dims ...int64) {
	n := int64(1)
	for _, d := range dims {
		n *= d
	}
	m.n++
	v := &fakeVar{name: name, dims: dims, dtype: ct2F16, vals: make([]float32, n), data: make([]byte, 2*n)}
	for i := range v.vals {
		v.vals[i] = pattern(m.n, i)
		binary.LittleEndian.PutUint16(v.data[2*i:], floatToHalf(v.vals[i]))
	}
	m.vars = append(m.vars, v)
}

// zeros turns a block of a variable's values to zero (a key bias).
func (v *fakeVar) zeros(from, to int) {
	for i := from; i < to; i++ {
		v.vals[i] = 0
		binary.LittleEndian.PutUint16(v.data[2*i:], 0)
	}
}

func (m *fakeModel) i16(name string, x int16) {
	m.vars = append(m.vars, &fakeVar{name: name, dtype: ct2I16, data: binary.LittleEndian.AppendUint16(nil, uint16(x))})
}

func (m *fakeModel) get(name string) *fakeVar {
	for _, v := range m.vars {
		if v.name == name {
			return v
		}
	}
	panic("no variable " + name)
}

func (m *fakeModel) remove(name string) {
	for i, v := range m.vars {
		if v.name == name {
			m.vars = append(m.vars[:i], m.vars[i+1:]...)
			return
		}
	}
	panic("no variable " + name)
}

// fakeTemplates caches one model per vocabulary size; newFakeModel hands
// out deep copies, since building the patterns dominates test time.
var fakeTemplates sync.Map

func newFakeModel(vocab int64) *fakeModel {
	if t, ok := fakeTemplates.Load(vocab); ok {
		return t.(*fakeModel).clone()
	}
	m := buildFakeModel(vocab)
	fakeTemplates.Store(vocab, m)
	return m.clone()
}

func (m *fakeModel) clone() *fakeModel {
	c := *m
	c.aliases = slices.Clone(m.aliases)
	c.vars = make([]*fakeVar, len(m.vars))
	for i, v := range m.vars {
		cv := *v
		cv.dims, cv.data, cv.vals = slices.Clone(v.dims), slices.Clone(v.data), slices.Clone(v.vals)
		c.vars[i] = &cv
	}
	return &c
}

func buildFakeModel(vocab int64) *fakeModel {
	m := &fakeModel{version: 6, spec: "WhisperSpec"}
	const s = fakeState
	layer := func(p string, cross bool) {
		ln := func(q string) { m.f16(q+"layer_norm/gamma", s); m.f16(q+"layer_norm/beta", s) }
		lin := func(q string, out, in int64) { m.f16(q+"/weight", out, in); m.f16(q+"/bias", out) }
		ln(p + "self_attention/")
		lin(p+"self_attention/linear_0", 3*s, s)
		m.get(p+"self_attention/linear_0/bias").zeros(s, 2*s)
		lin(p+"self_attention/linear_1", s, s)
		if cross {
			ln(p + "attention/")
			lin(p+"attention/linear_0", s, s)
			lin(p+"attention/linear_1", 2*s, s)
			m.get(p+"attention/linear_1/bias").zeros(0, s)
			lin(p+"attention/linear_2", s, s)
		}
		ln(p + "ffn/")
		lin(p+"ffn/linear_0", 4*s, s)
		lin(p+"ffn/linear_1", s, 4*s)
	}
	m.i16("decoder/alignment_heads", 1) // scalars that the converter ignores
	m.f16("decoder/embeddings/weight", vocab, s)
	for i := 0; i < fakeLayers; i++ {
		layer(fmt.Sprintf("decoder/layer_%d/", i), true)
	}
	m.f16("decoder/layer_norm/beta", s)
	m.f16("decoder/layer_norm/gamma", s)
	m.i16("decoder/num_heads", fakeHeads)
	m.f16("decoder/position_encodings/encodings", fakeTCtx, s)
	m.f16("encoder/conv1/bias", s)
	m.f16("encoder/conv1/weight", s, fakeMels, 3)
	m.f16("encoder/conv2/bias", s)
	m.f16("encoder/conv2/weight", s, s, 3)
	for i := 0; i < fakeLayers; i++ {
		layer(fmt.Sprintf("encoder/layer_%d/", i), false)
	}
	m.f16("encoder/layer_norm/beta", s)
	m.f16("encoder/layer_norm/gamma", s)
	m.i16("encoder/num_heads", fakeHeads)
	m.f16("encoder/position_encodings/encodings", fakeACtx, s)
	m.aliases = [][2]string{{"decoder/projection/weight", "decoder/embeddings/weight"}}
	return m
}

func (m *fakeModel) bytes() []byte {
	le := binary.LittleEndian
	str := func(b []byte, s string) []byte {
		b = le.AppendUint16(b, uint16(len(s)+1))
		return append(append(b, s...), 0)
	}
	b := le.AppendUint32(nil, m.version)
	b = str(b, m.spec)
	b = le.AppendUint32(b, 3)
	b = le.AppendUint32(b, uint32(len(m.vars)))
	for _, v := range m.vars {
		b = str(b, v.name)
		b = append(b, byte(len(v.dims)))
		for _, d := range v.dims {
			b = le.AppendUint32(b, uint32(d))
		}
		b = append(b, v.dtype)
		b = le.AppendUint32(b, uint32(len(v.data)))
		b = append(b, v.data...)
	}
	b = le.AppendUint32(b, uint32(len(m.aliases)))
	for _, a := range m.aliases {
		b = str(str(b, a[0]), a[1])
	}
	return b
}

// fakeTokens is an English (or multilingual) vocabulary in GPT-2's byte
// alphabet with end-of-text where whisper.cpp expects it.
func fakeTokens(n int, multilingual bool) []string {
	eot := 50256
	if multilingual {
		eot = 50257
	}
	toks := make([]string, n)
	for i := range toks {
		toks[i] = fmt.Sprintf("t%d", i)
	}
	toks[0], toks[1], toks[2] = "Ġthe", "Ċ", "Ã©" // " the", "\n", "é" in UTF-8
	if multilingual {
		toks[50256] = ""
	}
	toks[eot] = endOfText
	for i := eot + 1; i < n; i++ {
		toks[i] = fmt.Sprintf("<|special%d|>", i)
	}
	return toks
}

// writeFake writes model.bin and a vocabulary file into a new folder.
func writeFake(tb testing.TB, m *fakeModel, toks []string, jsonVocab bool) string {
	tb.Helper()
	dir := tb.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "model.bin"), m.bytes(), 0o644); err != nil {
		tb.Fatal(err)
	}
	var err error
	if jsonVocab {
		data, _ := json.Marshal(toks)
		err = os.WriteFile(filepath.Join(dir, "vocabulary.json"), data, 0o644)
	} else {
		err = os.WriteFile(filepath.Join(dir, "vocabulary.txt"), []byte(strings.Join(toks, "\n")+"\n"), 0o644)
	}
	if err != nil {
		tb.Fatal(err)
	}
	return dir
}

// parsedTensor and parseGGML read a ggml file back independently of
// validate.go, so tests see exactly what was written.
type parsedTensor struct {
	off  int // start of the record
	ne   []int64
	typ  int32
	data []byte
}

type parsedGGML struct {
	hp      [11]int32
	nMel    int32
	nFFT    int32
	filters []float32
	tokens  [][]byte
	tensors map[string]parsedTensor
	order   []string
}

func parseGGML(tb testing.TB, b []byte) parsedGGML {
	tb.Helper()
	le := binary.LittleEndian
	off := 0
	i32 := func() int32 { v := int32(le.Uint32(b[off:])); off += 4; return v }
	if i32() != 0x67676d6c {
		tb.Fatal("bad magic")
	}
	var p parsedGGML
	for i := range p.hp {
		p.hp[i] = i32()
	}
	p.nMel, p.nFFT = i32(), i32()
	for i := 0; i < int(p.nMel*p.nFFT); i++ {
		p.filters = append(p.filters, math.Float32frombits(uint32(i32())))
	}
	for n := i32(); n > 0; n-- {
		l := int(i32())
		p.tokens = append(p.tokens, b[off:off+l])
		off += l
	}
	p.tensors = map[string]parsedTensor{}
	for off < len(b) {
		start := off
		nd, nl, typ := i32(), i32(), i32()
		ne := make([]int64, nd)
		elems := int64(1)
		for i := range ne {
			ne[i] = int64(i32())
			elems *= ne[i]
		}
		name := string(b[off : off+int(nl)])
		off += int(nl)
		size := map[int32]int64{0: 4 * elems, 1: 2 * elems, 8: elems / 32 * 34}[typ]
		p.tensors[name] = parsedTensor{off: start, ne: ne, typ: typ, data: b[off : off+int(size)]}
		p.order = append(p.order, name)
		off += int(size)
	}
	return p
}
