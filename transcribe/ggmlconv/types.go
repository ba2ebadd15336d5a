package ggmlconv

import "fmt"

// WeightType selects how Convert stores the large 2-D weight matrices.
// Whatever the choice, 1-D tensors, conv biases and positional embeddings
// are written as f32 and conv kernels as f16, because that is what
// whisper.cpp's loader allocates for them.
type WeightType int

const (
	// F16 stores weights as IEEE half floats (ggml ftype 1). It is the zero
	// value, so Options{} converts losslessly from a float16 model.
	F16 WeightType = iota
	// Q8_0 stores weights as ggml q8_0 blocks (ftype 2007), as whisper.cpp's
	// quantize tool does: about half the size of F16 and a third less CPU
	// on our machines with no measurable loss in word error rate.
	Q8_0
)

// String returns the ggml name of the weight type ("f16", "q8_0").
func (t WeightType) String() string {
	switch t {
	case F16:
		return "f16"
	case Q8_0:
		return "q8_0"
	}
	return fmt.Sprintf("WeightType(%d)", int(t))
}

// Options tunes Convert.
type Options struct {
	// Type is the storage type of the 2-D weight matrices.
	Type WeightType
}

// HParams are the hyper parameters in a ggml Whisper header, in file order.
type HParams struct {
	NVocab      int32 // vocabulary size including special and timestamp tokens
	NAudioCtx   int32 // encoder positions (1500 for 30 s windows)
	NAudioState int32 // encoder width
	NAudioHead  int32 // encoder attention heads
	NAudioLayer int32 // encoder blocks
	NTextCtx    int32 // decoder positions (448)
	NTextState  int32 // decoder width; whisper.cpp requires it to equal NAudioState
	NTextHead   int32 // decoder attention heads
	NTextLayer  int32 // decoder blocks
	NMels       int32 // mel bands of the input spectrogram (80, or 128 for large-v3)
	FType       int32 // 1000 x quantisation version + ggml file type, e.g. 1 or 2007
}

// Multilingual reports whether whisper.cpp will treat the model as
// multilingual, which it decides from the vocabulary size alone.
func (h HParams) Multilingual() bool { return h.NVocab >= 51865 }

// Info describes a ggml Whisper file, as written by Convert or read back by
// ReadInfo.
type Info struct {
	HParams HParams
	// Multilingual is HParams.Multilingual(), kept as a field for logging.
	Multilingual bool
	// WeightType names the storage type of the 2-D weights ("f16", "q8_0", ...).
	WeightType string
	// Tokens is the number of vocabulary entries stored in the file; whisper.cpp
	// adds the special and timestamp tokens up to NVocab itself.
	Tokens int
	// Tensors is the number of tensor records.
	Tensors int
	// Size is the file size in bytes.
	Size int64
}

// ggmlType is a ggml tensor element type id as stored in tensor records.
type ggmlType int32

// ggml type ids (ggml.h, enum ggml_type) this package can size.
const (
	typeF32  ggmlType = 0
	typeF16  ggmlType = 1
	typeQ4_0 ggmlType = 2
	typeQ4_1 ggmlType = 3
	typeQ5_0 ggmlType = 6
	typeQ5_1 ggmlType = 7
	typeQ8_0 ggmlType = 8
	typeQ2_K ggmlType = 10
	typeQ3_K ggmlType = 11
	typeQ4_K ggmlType = 12
	typeQ5_K ggmlType = 13
	typeQ6_K ggmlType = 14
	typeBF16 ggmlType = 30
)

// typeInfo is the storage layout of a ggml type: blockBytes bytes hold
// blockSize consecutive values of one row.
type typeInfo struct {
	name       string
	blockSize  int64
	blockBytes int64
}

var ggmlTypes = map[ggmlType]typeInfo{
	typeF32:  {"f32", 1, 4},
	typeF16:  {"f16", 1, 2},
	typeQ4_0: {"q4_0", 32, 18},
	typeQ4_1: {"q4_1", 32, 20},
	typeQ5_0: {"q5_0", 32, 22},
	typeQ5_1: {"q5_1", 32, 24},
	typeQ8_0: {"q8_0", 32, 34},
	typeQ2_K: {"q2_K", 256, 84},
	typeQ3_K: {"q3_K", 256, 110},
	typeQ4_K: {"q4_K", 256, 144},
	typeQ5_K: {"q5_K", 256, 176},
	typeQ6_K: {"q6_K", 256, 210},
	typeBF16: {"bf16", 1, 2},
}

// ftypeWeights maps a ggml file type (ftype modulo 1000, enum ggml_ftype) to
// the type whisper.cpp then expects for the 2-D weights. Types missing here
// are refused with ErrUnsupported.
var ftypeWeights = map[int32]ggmlType{
	0: typeF32, 1: typeF16, 2: typeQ4_0, 3: typeQ4_1, 7: typeQ8_0,
	8: typeQ5_0, 9: typeQ5_1, 10: typeQ2_K, 11: typeQ3_K, 12: typeQ4_K,
	13: typeQ5_K, 14: typeQ6_K, 24: typeBF16,
}

const (
	ggmlMagic  = 0x67676d6c // "ggml", whisper.cpp's GGML_FILE_MAGIC
	qntVersion = 2          // GGML_QNT_VERSION of libggml 0.27
	qntFactor  = 1000       // GGML_QNT_VERSION_FACTOR
	ftypeF16   = 1
	ftypeQ8_0  = 7
	melFFTBins = 201   // 1 + n_fft/2 for Whisper's 400-sample FFT
	eotEnglish = 50256 // whisper.cpp's end-of-text id; one more in multilingual models
)
