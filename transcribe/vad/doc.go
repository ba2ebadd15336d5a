// Package vad detects speech in 16 kHz mono audio with the Silero VAD neural
// network (versions 5 and 6), run in pure Go from the weights of an ONNX file
// that the silero-vad (or faster-whisper) Python package ships.
//
// Nothing here executes the ONNX graph generically: Load reads just enough of
// the ONNX protobuf to find the network's weight tensors, and the network
// itself (a short-time Fourier transform written as a convolution, four
// convolutions with ReLU, one LSTM cell, and a 1x1 convolution with a sigmoid)
// is implemented directly. The results match onnxruntime to within about
// 1e-6 per window (see README.md for the figures).
//
// One Model is loaded per process and shared read-only by every track; each
// track gets its own Detector, which holds the LSTM state and the 64 samples of
// audio context that the model sees before each 512-sample (32 ms) window.
// Turning probabilities into utterances is the job of package segment.
package vad
