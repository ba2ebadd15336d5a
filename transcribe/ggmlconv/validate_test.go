package ggmlconv

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// validFile converts the synthetic model once per weight type; the
// validation tests corrupt copies of it.
var validFiles = struct {
	sync.Mutex
	m map[WeightType][]byte
}{m: map[WeightType][]byte{}}

func validFile(t *testing.T, typ WeightType) ([]byte, parsedGGML) {
	t.Helper()
	validFiles.Lock()
	defer validFiles.Unlock()
	if b, ok := validFiles.m[typ]; ok {
		return b, parseGGML(t, b)
	}
	dir := writeFake(t, newFakeModel(fakeVocab), fakeTokens(fakeVocab, false), false)
	var buf bytes.Buffer
	if _, err := Convert(dir, &buf, Options{Type: typ}); err != nil {
		t.Fatal(err)
	}
	validFiles.m[typ] = buf.Bytes()
	return buf.Bytes(), parseGGML(t, buf.Bytes())
}

func infoOf(b []byte) (Info, error) { return readInfo(bytes.NewReader(b), int64(len(b))) }

func TestReadInfoConverted(t *testing.T) {
	for _, typ := range []WeightType{F16, Q8_0} {
		dir := writeFake(t, newFakeModel(fakeVocab), fakeTokens(fakeVocab, false), false)
		out := filepath.Join(t.TempDir(), "model.bin")
		conv, err := ConvertFile(dir, out, Options{Type: typ})
		if err != nil {
			t.Fatal(err)
		}
		got, err := ReadInfo(out)
		if err != nil {
			t.Fatal(err)
		}
		if got != conv {
			t.Errorf("%v: ReadInfo = %+v, Convert said %+v", typ, got, conv)
		}
		if got.Tensors != 50 || got.Tokens != 50256 || got.WeightType != typ.String() {
			t.Errorf("%v: %+v, want 50 tensors, 50256 tokens, %v weights", typ, got, typ)
		}
		if err := Validate(out); err != nil {
			t.Error(err)
		}
	}
}

func TestReadInfoTruncated(t *testing.T) {
	// A small complete file, cut at every possible length.
	tiny := tinyGGML(t)
	for n := range len(tiny) {
		if _, err := infoOf(tiny[:n]); !errors.Is(err, ErrTruncated) {
			t.Fatalf("tiny file cut at %d of %d: err = %v, want ErrTruncated", n, len(tiny), err)
		}
	}
	// A converted file, cut across its sections and at every tensor record.
	b, p := validFile(t, Q8_0)
	var cuts []int
	for n := 0; n < len(b); n += len(b)/50 + 1 {
		cuts = append(cuts, n)
	}
	for _, pt := range p.tensors {
		cuts = append(cuts, pt.off, pt.off+13, pt.off+len(pt.data)/2)
	}
	cuts = append(cuts, len(b)-1)
	for _, n := range cuts {
		if _, err := infoOf(b[:n]); !errors.Is(err, ErrTruncated) {
			t.Fatalf("cut at %d of %d: err = %v, want ErrTruncated", n, len(b), err)
		}
	}
	// Trailing bytes too short for a record header are a cut record.
	if _, err := infoOf(append(bytes.Clone(b), 1, 0, 0, 0, 5)); !errors.Is(err, ErrTruncated) {
		t.Errorf("trailing bytes: err = %v, want ErrTruncated", err)
	}
	// Through the file API, the error names the file.
	path := filepath.Join(t.TempDir(), "cut.bin")
	if err := os.WriteFile(path, b[:len(b)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Validate(path); !errors.Is(err, ErrTruncated) || !strings.Contains(err.Error(), path) {
		t.Errorf("Validate(half file) = %v, want ErrTruncated naming %s", err, path)
	}
}

func TestReadInfoWrongFormat(t *testing.T) {
	gguf := append([]byte("GGUF"), 3, 0, 0, 0)
	cases := map[string]struct {
		data []byte
		want error
	}{
		"empty":       {nil, ErrTruncated},
		"wav audio":   {[]byte("RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00"), ErrNotGGML},
		"lfs pointer": {[]byte("version 1\noid sha256:0123\nsize 77704698\n"), ErrNotGGML},
		"ctranslate2": {newFakeModel(8).bytes()[:4096], ErrNotGGML},
		"gguf":        {gguf, ErrUnsupported},
	}
	for name, c := range cases {
		if _, err := infoOf(c.data); !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", name, err, c.want)
		}
	}
	if _, err := ReadInfo(filepath.Join(t.TempDir(), "absent.bin")); !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "absent.bin") {
		t.Errorf("missing file: err = %v, want fs.ErrNotExist naming the file", err)
	}
	if _, err := ReadInfo(t.TempDir()); !errors.Is(err, ErrNotGGML) {
		t.Errorf("directory: err = %v, want ErrNotGGML", err)
	}
}

func TestReadInfoCorrupt(t *testing.T) {
	b, p := validFile(t, F16)
	le := binary.LittleEndian
	put := func(off int, v int32) func([]byte) []byte {
		return func(c []byte) []byte { le.PutUint32(c[off:], uint32(v)); return c }
	}
	conv := p.tensors["encoder.conv1.weight"]
	query := p.tensors["encoder.blocks.0.attn.query.weight"]
	const lnName = "encoder.ln_post.bias"
	lnPost := p.tensors[lnName]
	lnRecord := b[lnPost.off : lnPost.off+12+4*len(lnPost.ne)+len(lnName)+len(lnPost.data)]
	cases := map[string]struct {
		mutate func([]byte) []byte
		want   error
	}{
		"state widths differ":  {put(4+4*6, fakeState*2), ErrUnsupported},
		"heads do not divide":  {put(4+4*3, 3), ErrCorrupt},
		"zero layers":          {put(4+4*4, 0), ErrCorrupt},
		"unknown ftype":        {put(4+4*10, 99), ErrUnsupported},
		"q8_0 without version": {put(4+4*10, 7), ErrUnsupported},
		"f32 ftype, f16 data":  {put(4+4*10, 0), ErrCorrupt},
		"mel filter width":     {put(4+4*12, 200), ErrCorrupt},
		"mel band count":       {put(4+4*11, fakeMels+1), ErrCorrupt},
		"vocabulary too long":  {put(4+4*13+4*fakeMels*201, fakeVocab+1), ErrCorrupt},
		"conv stored as f32":   {put(conv.off+8, 0), ErrCorrupt},
		"query dims swapped":   {put(query.off+12, 4*fakeState), ErrCorrupt},
		"five dims":            {put(query.off, 5), ErrCorrupt},
		"huge name length":     {put(query.off+4, 1<<30), ErrCorrupt},
		"unknown tensor":       {func(c []byte) []byte { c[query.off+12+8] = 'X'; return c }, ErrCorrupt},
		"duplicate tensor":     {func(c []byte) []byte { return append(c, lnRecord...) }, ErrCorrupt},
		"missing tensor":       {func(c []byte) []byte { return append(c[:lnPost.off:lnPost.off], c[lnPost.off+len(lnRecord):]...) }, ErrTruncated},
		"garbage after magic":  {func(c []byte) []byte { copy(c[4:], bytes.Repeat([]byte{0xff}, 64)); return c }, ErrCorrupt},
	}
	for name, c := range cases {
		if _, err := infoOf(c.mutate(bytes.Clone(b))); !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", name, err, c.want)
		}
	}
}
