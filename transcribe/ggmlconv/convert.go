package ggmlconv

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
)

// Convert reads the CTranslate2 Whisper model in srcDir (model.bin and
// vocabulary.json or vocabulary.txt) and writes it to w as a ggml file for
// whisper.cpp. Tensors are streamed from model.bin one block of rows at a
// time, so memory stays small whatever the model size. Everything that can
// be checked is checked before the first byte is written; an error after
// that leaves w with a partial file, which ConvertFile never exposes.
func Convert(srcDir string, w io.Writer, opts Options) (Info, error) {
	info, err := convert(srcDir, w, opts)
	if err != nil {
		return Info{}, fmt.Errorf("ggmlconv: convert %s: %w", srcDir, err)
	}
	return info, nil
}

// ConvertFile converts srcDir into the ggml file outPath (mode 0644). It
// writes a temporary file beside outPath, syncs it, validates it with
// ReadInfo and renames it into place, so outPath is either the old file or
// a complete new one, never a partial one the engine could trip over.
func ConvertFile(srcDir, outPath string, opts Options) (Info, error) {
	tmp, err := os.CreateTemp(filepath.Dir(outPath), "."+filepath.Base(outPath)+".*.tmp")
	if err != nil {
		return Info{}, fmt.Errorf("ggmlconv: convert %s: %w", srcDir, err)
	}
	defer os.Remove(tmp.Name()) // no-op once renamed
	info, err := Convert(srcDir, tmp, opts)
	if err != nil {
		tmp.Close()
		return Info{}, err
	}
	err = finishFile(tmp, info.Size)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), outPath)
	}
	if err != nil {
		return Info{}, fmt.Errorf("ggmlconv: convert %s: %w", srcDir, err)
	}
	return info, nil
}

// finishFile makes a written model readable by a service user, flushes it
// to disk and reads it back the way the engine will.
func finishFile(f *os.File, size int64) error {
	if err := f.Chmod(0o644); err != nil { // CreateTemp's 0600 would hide it
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if _, err := readInfo(f, size); err != nil {
		return fmt.Errorf("written file does not validate: %w", err)
	}
	return nil
}

func convert(srcDir string, w io.Writer, opts Options) (Info, error) {
	var weights ggmlType
	var ftype int32
	switch opts.Type {
	case F16:
		weights, ftype = typeF16, ftypeF16
	case Q8_0:
		weights, ftype = typeQ8_0, qntVersion*qntFactor+ftypeQ8_0
	default:
		return Info{}, fmt.Errorf("%w: weight type %v", ErrUnsupported, opts.Type)
	}
	f, err := os.Open(filepath.Join(srcDir, "model.bin"))
	if err != nil {
		return Info{}, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return Info{}, err
	}
	m, err := readCT2(f, st.Size())
	if err != nil {
		return Info{}, fmt.Errorf("model.bin: %w", err)
	}
	h, err := ct2HParams(m)
	if err != nil {
		return Info{}, err
	}
	h.FType = ftype
	vocab, err := readVocabulary(srcDir)
	if err != nil {
		return Info{}, err
	}
	tokens, err := ordinaryTokens(vocab, h.Multilingual())
	if err != nil {
		return Info{}, err
	}
	plan, err := planTensors(m, h, weights)
	if err != nil {
		return Info{}, err
	}

	cw := &countingWriter{w: w}
	bw := bufio.NewWriterSize(cw, 1<<20)
	if err := writeHeader(bw, h, tokens); err != nil {
		return Info{}, err
	}
	var s scratch
	for _, p := range plan {
		if err := writeTensor(bw, f, p, &s); err != nil {
			return Info{}, fmt.Errorf("tensor %s: %w", p.spec.name, err)
		}
	}
	if err := bw.Flush(); err != nil {
		return Info{}, err
	}
	return Info{HParams: h, Multilingual: h.Multilingual(), WeightType: ggmlTypes[weights].name,
		Tokens: len(tokens), Tensors: len(plan), Size: cw.n}, nil
}

// writeHeader writes the magic, hyper parameters, mel filters and the
// ordinary tokens, in the order whisper_model_load reads them.
func writeHeader(w io.Writer, h HParams, tokens [][]byte) error {
	le := binary.LittleEndian
	buf := le.AppendUint32(nil, ggmlMagic)
	for _, v := range []int32{h.NVocab, h.NAudioCtx, h.NAudioState, h.NAudioHead, h.NAudioLayer,
		h.NTextCtx, h.NTextState, h.NTextHead, h.NTextLayer, h.NMels, h.FType} {
		buf = le.AppendUint32(buf, uint32(v))
	}
	buf = le.AppendUint32(buf, uint32(h.NMels))
	buf = le.AppendUint32(buf, melFFTBins)
	for _, v := range melFilters(int(h.NMels)) {
		buf = le.AppendUint32(buf, math.Float32bits(v))
	}
	buf = le.AppendUint32(buf, uint32(len(tokens)))
	for _, t := range tokens {
		buf = le.AppendUint32(buf, uint32(len(t)))
		buf = append(buf, t...)
	}
	_, err := w.Write(buf)
	return err
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
