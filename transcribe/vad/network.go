package vad

import (
	"math"

	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/dsp/fourier"

	"github.com/callscribe/callscribe/transcribe"
)

// Audio framing of the 16 kHz network.
const (
	// SampleRate is the only rate the network accepts, in samples per second.
	SampleRate = transcribe.SampleRate
	// WindowSamples is the number of new samples scored per call: 32 ms.
	WindowSamples = 512
	// ContextSamples is how many samples of the previous window the network
	// sees in front of each new one (the v5+ models were trained with it).
	ContextSamples = 64
)

// scratch holds every intermediate of one forward pass, sized at compile
// time, so that scoring a window allocates nothing. The FFT keeps work
// buffers of its own, so each Detector needs one (newScratch).
type scratch struct {
	x     [padded]float32
	fft   *fourier.FFT
	frame [fftSize]float64
	coef  [fftBins]complex128
	mag   [fftBins * fftFrames]float32 // [bin][frame]
	col   [fftFrames * fftBins * 3]float32
	act0  [128 * 4]float32
	act1  [64 * 2]float32
	act2  [64 * 1]float32
	act3  [128 * 1]float32
	xh    [2 * hidden]float32 // LSTM input followed by previous h
	gates [gates]float32
}

func newScratch() scratch { return scratch{fft: fourier.NewFFT(fftSize)} }

// forward scores s.x[ContextSamples:ContextSamples+WindowSamples] (with the
// context already in front of it) and advances the LSTM state h, c.
func (w *weights) forward(s *scratch, h, c *[hidden]float32) float32 {
	// Reflection padding on the right, as ONNX Pad mode "reflect": the pad
	// mirrors the signal about its last sample, which is not repeated.
	const n = ContextSamples + WindowSamples
	for k := 0; k < padded-n; k++ {
		s.x[n+k] = s.x[n-2-k]
	}
	w.stftMagnitude(s)
	conv(&w.enc[0], s.mag[:], fftFrames, s.col[:], s.act0[:])
	conv(&w.enc[1], s.act0[:], 4, s.col[:], s.act1[:])
	conv(&w.enc[2], s.act1[:], 2, s.col[:], s.act2[:])
	conv(&w.enc[3], s.act2[:], 1, s.col[:], s.act3[:])

	copy(s.xh[:hidden], s.act3[:])
	copy(s.xh[hidden:], h[:])
	for r := range s.gates {
		s.gates[r] = w.lstmB[r] + dot(w.lstmW[r*2*hidden:(r+1)*2*hidden], s.xh[:])
	}
	logit := w.outB
	for k := 0; k < hidden; k++ {
		i := sigmoid(s.gates[k])
		f := sigmoid(s.gates[hidden+k])
		g := tanh(s.gates[2*hidden+k])
		o := sigmoid(s.gates[3*hidden+k])
		c[k] = f*c[k] + i*g
		h[k] = o * tanh(c[k])
		if h[k] > 0 { // ReLU before the 1x1 output convolution
			logit += w.outW[k] * h[k]
		}
	}
	return sigmoid(logit)
}

// stftMagnitude computes |STFT| of the padded signal. The model's STFT is a
// convolution with a windowed Fourier basis (checked at load); an FFT of the
// windowed frame gives the same magnitudes to float32 rounding at a
// hundredth of the multiplications: with the BLAS dot products below, a
// window went from 274 to 81 µs on the bench machine (BenchmarkWindow).
func (w *weights) stftMagnitude(s *scratch) {
	for f := 0; f < fftFrames; f++ {
		frame := s.x[f*fftHop : f*fftHop+fftSize]
		for i, v := range frame {
			s.frame[i] = w.window[i] * float64(v)
		}
		s.fft.Coefficients(s.coef[:], s.frame[:])
		for b, c := range s.coef {
			re, im := real(c), imag(c)
			s.mag[b*fftFrames+f] = float32(math.Sqrt(re*re + im*im))
		}
	}
}

// conv applies one encoder layer with ReLU to in ([l.in][tIn]) into out
// ([l.out][tOut]). It first gathers each output step's receptive field into a
// row of col (zero where the padding is), then takes one dot product per
// output, which keeps the inner loop long and contiguous.
func conv(l *convLayer, in []float32, tIn int, col, out []float32) {
	tOut := (tIn-1)/l.stride + 1
	width := l.in * 3
	for t := 0; t < tOut; t++ {
		row := col[t*width : (t+1)*width]
		for i := 0; i < l.in; i++ {
			for k := 0; k < 3; k++ {
				src := t*l.stride + k - 1
				if src >= 0 && src < tIn {
					row[i*3+k] = in[i*tIn+src]
				} else {
					row[i*3+k] = 0
				}
			}
		}
	}
	for o := 0; o < l.out; o++ {
		wo := l.w[o*width : (o+1)*width]
		for t := 0; t < tOut; t++ {
			v := l.b[o] + dot(wo, col[t*width:(t+1)*width])
			out[o*tOut+t] = max(v, 0)
		}
	}
}

// dot is the inner product of a and b[:len(a)], through gonum's BLAS, whose
// amd64 kernel multiplies four floats at a time.
func dot(a, b []float32) float32 {
	return blas32.Dot(blas32.Vector{N: len(a), Inc: 1, Data: a}, blas32.Vector{N: len(a), Inc: 1, Data: b[:len(a)]})
}

func sigmoid(x float32) float32 { return float32(1 / (1 + math.Exp(-float64(x)))) }

func tanh(x float32) float32 { return float32(math.Tanh(float64(x))) }
