package ggmlconv

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"
)

func TestConvertRejects(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(m *fakeModel) []string
		want   error
	}{
		{"non-zero self-attention key bias", func(m *fakeModel) []string {
			v := m.get("encoder/layer_0/self_attention/linear_0/bias")
			binary.LittleEndian.PutUint16(v.data[2*(fakeState+5):], floatToHalf(0.5))
			return nil
		}, ErrBadSource},
		{"non-zero cross-attention key bias", func(m *fakeModel) []string {
			v := m.get("decoder/layer_0/attention/linear_1/bias")
			binary.LittleEndian.PutUint16(v.data[2:], floatToHalf(-1))
			return nil
		}, ErrBadSource},
		{"missing variable", func(m *fakeModel) []string { m.remove("decoder/layer_0/ffn/linear_1/bias"); return nil }, ErrBadSource},
		{"unknown variable", func(m *fakeModel) []string { m.f16("decoder/extra/weight", 4); return nil }, ErrUnsupported},
		{"integer weights", func(m *fakeModel) []string { m.get("encoder/layer_0/ffn/linear_0/weight").dtype = ct2I16; return nil }, ErrUnsupported},
		{"binary version 5", func(m *fakeModel) []string { m.version = 5; return nil }, ErrUnsupported},
		{"other spec", func(m *fakeModel) []string { m.spec = "TransformerSpec"; return nil }, ErrUnsupported},
		{"untied projection", func(m *fakeModel) []string {
			m.aliases = nil
			m.f16("decoder/projection/weight", fakeVocab, fakeState)
			return nil
		}, ErrUnsupported},
		{"end-of-text misplaced", func(m *fakeModel) []string {
			toks := fakeTokens(fakeVocab, false)
			toks[50256], toks[50257] = toks[50257], toks[50256]
			return toks
		}, ErrUnsupported},
		{"token outside byte alphabet", func(m *fakeModel) []string {
			toks := fakeTokens(fakeVocab, false)
			toks[7] = "a b" // a raw space never occurs in GPT-2's alphabet
			return toks
		}, ErrBadSource},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := newFakeModel(fakeVocab)
			toks := c.mutate(m)
			if toks == nil {
				toks = fakeTokens(fakeVocab, false)
			}
			var buf bytes.Buffer
			_, err := Convert(writeFake(t, m, toks, false), &buf, Options{})
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			if buf.Len() != 0 {
				t.Errorf("%d bytes written before the error was found", buf.Len())
			}
		})
	}
}
