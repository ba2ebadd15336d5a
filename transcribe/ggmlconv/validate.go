package ggmlconv

import (
	"fmt"
	"io"
	"os"
)

// ReadInfo walks the ggml Whisper file at path the way whisper.cpp 1.9.5's
// loader does, without loading weights: header, hyper parameters, mel
// filters, vocabulary and every tensor record. It checks that each tensor is
// one the loader expects, with the shape and type it will allocate, that its
// data is all there, and that no tensor is missing. Errors wrap ErrNotGGML,
// ErrTruncated, ErrCorrupt or ErrUnsupported (or the os error for a missing
// file) and name the path.
func ReadInfo(path string) (Info, error) {
	f, err := os.Open(path)
	if err != nil {
		return Info{}, fmt.Errorf("ggmlconv: %w", err) // the os error names the path
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return Info{}, fmt.Errorf("ggmlconv: %w", err)
	}
	if !st.Mode().IsRegular() {
		return Info{}, fmt.Errorf("ggmlconv: %s: %w: not a regular file", path, ErrNotGGML)
	}
	info, err := readInfo(f, st.Size())
	if err != nil {
		return Info{}, fmt.Errorf("ggmlconv: %s: %w", path, err)
	}
	return info, nil
}

// Validate reports whether the file at path is a complete ggml Whisper model
// that whisper.cpp will load; it is ReadInfo without the result.
func Validate(path string) error {
	_, err := ReadInfo(path)
	return err
}

// Magics of other containers, to say what a refused file is.
var foreignMagics = map[uint32]string{
	0x46554747: "GGUF", // whisper.cpp 1.9.5 loads only the legacy ggml layout
	0x67676a74: "ggjt (llama.cpp)",
	0x67676d66: "ggmf (llama.cpp)",
	0x67676c61: "ggla (llama.cpp LoRA)",
}

func readInfo(r io.ReaderAt, size int64) (Info, error) {
	c := newCursor(r, size)
	magic, err := c.u32()
	if err != nil {
		return Info{}, err
	}
	if magic != ggmlMagic {
		if name, ok := foreignMagics[magic]; ok {
			return Info{}, fmt.Errorf("%w: %s container", ErrUnsupported, name)
		}
		return Info{}, fmt.Errorf("%w: magic %#08x", ErrNotGGML, magic)
	}
	h, weights, err := readHParams(c)
	if err != nil {
		return Info{}, err
	}
	tokens, err := skipFiltersAndVocab(c, h)
	if err != nil {
		return Info{}, err
	}
	n, err := walkTensors(c, h, weights)
	if err != nil {
		return Info{}, err
	}
	return Info{HParams: h, Multilingual: h.Multilingual(), WeightType: ggmlTypes[weights].name,
		Tokens: tokens, Tensors: n, Size: size}, nil
}

func readHParams(c *cursor) (HParams, ggmlType, error) {
	var v [11]int32
	for i := range v {
		x, err := c.i32()
		if err != nil {
			return HParams{}, 0, err
		}
		v[i] = x
	}
	h := HParams{NVocab: v[0], NAudioCtx: v[1], NAudioState: v[2], NAudioHead: v[3], NAudioLayer: v[4],
		NTextCtx: v[5], NTextState: v[6], NTextHead: v[7], NTextLayer: v[8], NMels: v[9], FType: v[10]}
	if err := checkHParams(h, ErrCorrupt); err != nil {
		return h, 0, err
	}
	if h.FType < 0 {
		return h, 0, fmt.Errorf("%w: ftype %d", ErrCorrupt, h.FType)
	}
	weights, ok := ftypeWeights[h.FType%qntFactor]
	if !ok {
		return h, 0, fmt.Errorf("%w: ftype %d", ErrUnsupported, h.FType)
	}
	// Quantised block layouts changed between versions; the loader sizes
	// blocks by the current one and would misread older files.
	if ggmlTypes[weights].blockSize > 1 && h.FType/qntFactor != qntVersion {
		return h, 0, fmt.Errorf("%w: quantisation version %d (whisper.cpp 1.9.5 reads %d)", ErrUnsupported, h.FType/qntFactor, qntVersion)
	}
	return h, weights, nil
}
