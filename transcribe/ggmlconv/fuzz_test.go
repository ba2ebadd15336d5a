package ggmlconv

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"
)

// tinyGGML is a complete, valid ggml file for a toy f16 model of width 2,
// about 3 KB, small enough for the fuzzer to mutate quickly: header, filters
// and vocabulary as Convert writes them, and zero-filled tensors of the
// layout's shapes.
func tinyGGML(tb testing.TB) []byte {
	tb.Helper()
	h := HParams{NVocab: 3, NAudioCtx: 2, NAudioState: 2, NAudioHead: 1, NAudioLayer: 1,
		NTextCtx: 2, NTextState: 2, NTextHead: 1, NTextLayer: 1, NMels: 1, FType: 1}
	var buf bytes.Buffer
	if err := writeHeader(&buf, h, [][]byte{[]byte("a"), []byte(" b")}); err != nil {
		tb.Fatal(err)
	}
	le := binary.LittleEndian
	for _, s := range layout(h) {
		if s.zero {
			continue
		}
		typ := storageType(s.class, typeF16)
		ti := ggmlTypes[typ]
		rec := le.AppendUint32(nil, uint32(len(s.ne)))
		rec = le.AppendUint32(rec, uint32(len(s.name)))
		rec = le.AppendUint32(rec, uint32(typ))
		for _, d := range s.ne {
			rec = le.AppendUint32(rec, uint32(d))
		}
		rec = append(rec, s.name...)
		buf.Write(append(rec, make([]byte, s.elements()/ti.blockSize*ti.blockBytes)...))
	}
	return buf.Bytes()
}

func TestTinyGGMLValid(t *testing.T) {
	b := tinyGGML(t)
	info, err := infoOf(b)
	if err != nil {
		t.Fatal(err)
	}
	if info.Tensors != 7+15+4+24 || info.Tokens != 2 || info.Size != int64(len(b)) || info.Multilingual {
		t.Errorf("info = %+v", info)
	}
}

// FuzzReadInfo feeds arbitrary bytes to the validator: it must never panic
// or allocate without bound, and must fail only with one of its sentinels.
func FuzzReadInfo(f *testing.F) {
	valid := tinyGGML(f)
	f.Add(valid)
	f.Add(valid[:len(valid)/2])
	f.Add(valid[:200])
	f.Add([]byte("GGUF\x03\x00\x00\x00"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		info, err := infoOf(b)
		if err != nil {
			for _, s := range []error{ErrNotGGML, ErrTruncated, ErrCorrupt, ErrUnsupported} {
				if errors.Is(err, s) {
					return
				}
			}
			t.Fatalf("error without a sentinel: %v", err)
		}
		if info.Size != int64(len(b)) || info.Tensors == 0 {
			t.Fatalf("accepted %d bytes as %+v", len(b), info)
		}
	})
}
