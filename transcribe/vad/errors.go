package vad

import "errors"

// Errors returned by Load and by Detector.Window. Load wraps them with the
// file name and the detail (which tensor, which offset), so test with
// errors.Is. A file that cannot be opened at all returns the error from the
// operating system, which satisfies errors.Is(err, fs.ErrNotExist) when the
// file is absent.
var (
	// ErrMalformedModel means the file is not a well-formed ONNX protobuf:
	// truncated, not ONNX at all, or nested deeper than any Silero export.
	ErrMalformedModel = errors.New("vad: malformed ONNX model file")

	// ErrMissingWeights means the file is valid ONNX but lacks a tensor the
	// Silero VAD 16 kHz network needs: it is some other model, an 8 kHz-only
	// export, or a Silero version whose tensors this package does not know.
	ErrMissingWeights = errors.New("vad: weight tensor not found in model")

	// ErrWeightShape means a tensor with the expected name has a shape other
	// than the Silero v5/v6 one, so its numbers cannot be these weights.
	ErrWeightShape = errors.New("vad: weight tensor has an unexpected shape")

	// ErrWeightData means a weight tensor's contents cannot be used: it is
	// not float32, it is stored in an external file, or its byte length does
	// not match its shape.
	ErrWeightData = errors.New("vad: weight tensor data unusable")

	// ErrWindowLength means Detector.Window was given a slice whose length is
	// not WindowSamples.
	ErrWindowLength = errors.New("vad: window must hold exactly WindowSamples samples")
)
