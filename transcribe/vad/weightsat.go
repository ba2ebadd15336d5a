package vad

import (
	"errors"
	"fmt"
	"math"
)

// weightsAt gathers one network's tensors under a name prefix.
func (c *onnxContents) weightsAt(prefix string, n tensorNaming) (*weights, error) {
	w := &weights{}
	basis, err := c.tensor(prefix+n.basis, basisDims...)
	if err != nil {
		return nil, err
	}
	if w.window, err = analysisWindow(basis); err != nil {
		return nil, fmt.Errorf("%w: %q: %w", ErrWeightData, prefix+n.basis, err)
	}
	for i, s := range encoderShapes {
		in, out, stride := s[0], s[1], s[2]
		l := convLayer{in: in, out: out, stride: stride}
		if l.w, err = c.tensor(prefix+fmt.Sprintf(n.encW, i), int64(out), int64(in), 3); err != nil {
			return nil, err
		}
		if l.b, err = c.tensor(prefix+fmt.Sprintf(n.encB, i), int64(out)); err != nil {
			return nil, err
		}
		w.enc[i] = l
	}
	if w.outW, err = c.tensor(prefix+n.outW, 1, hidden, 1); err != nil {
		return nil, err
	}
	outB, err := c.tensor(prefix+n.outB, 1)
	if err != nil {
		return nil, err
	}
	w.outB = outB[0]
	if err := c.lstmWeights(prefix, w); err != nil {
		return nil, err
	}
	return w, nil
}

// lstmWeights fills the fused LSTM matrix, from PyTorch-named tensors when
// the export kept them, else from the first LSTM node whose weight inputs
// are stored tensors of the right shape.
func (c *onnxContents) lstmWeights(prefix string, w *weights) error {
	ih := prefix + "decoder.rnn.weight_ih"
	if _, ok := c.tensors[ih]; ok {
		wih, err := c.tensor(ih, gates, hidden)
		if err != nil {
			return err
		}
		whh, err := c.tensor(prefix+"decoder.rnn.weight_hh", gates, hidden)
		if err != nil {
			return err
		}
		bih, err := c.tensor(prefix+"decoder.rnn.bias_ih", gates)
		if err != nil {
			return err
		}
		bhh, err := c.tensor(prefix+"decoder.rnn.bias_hh", gates)
		if err != nil {
			return err
		}
		w.fuseLSTM(wih, whh, bih, bhh, torchGateOrder)
		return nil
	}
	for _, in := range c.lstms {
		if len(in) < 4 {
			continue
		}
		wt, err1 := c.tensor(in[1], 1, gates, hidden)
		rt, err2 := c.tensor(in[2], 1, gates, hidden)
		bt, err3 := c.tensor(in[3], 1, 2*gates)
		if err1 == nil && err2 == nil && err3 == nil {
			w.fuseLSTM(wt, rt, bt[:gates], bt[gates:], onnxGateOrder)
			return nil
		}
	}
	return fmt.Errorf("%w: LSTM weights (neither %q nor an LSTM node with stored 128-wide weights)", ErrMissingWeights, ih)
}

// Where each gate block (input, forget, cell, output: the order the kernel
// uses) sits in a source tensor. PyTorch stores i, f, g, o; the ONNX LSTM
// operator stores i, o, f, c.
var (
	torchGateOrder = [4]int{0, 1, 2, 3}
	onnxGateOrder  = [4]int{0, 2, 3, 1}
)

// fuseLSTM interleaves the input and recurrent matrices row by row and sums
// the two biases, reordering gate blocks into the kernel's order.
func (w *weights) fuseLSTM(wih, whh, bih, bhh []float32, order [4]int) {
	w.lstmW = make([]float32, gates*2*hidden)
	w.lstmB = make([]float32, gates)
	for g, src := range order {
		for r := 0; r < hidden; r++ {
			dst, from := g*hidden+r, src*hidden+r
			row := w.lstmW[dst*2*hidden : (dst+1)*2*hidden]
			copy(row[:hidden], wih[from*hidden:(from+1)*hidden])
			copy(row[hidden:], whh[from*hidden:(from+1)*hidden])
			w.lstmB[dst] = bih[from] + bhh[from]
		}
	}
}

// basisTolerance is how far a basis entry may sit from window times the
// Fourier term. Silero's exported bases are within 6e-8 (float32 rounding of
// the same numbers).
const basisTolerance = 1e-5

// analysisWindow returns the window w such that basis row k holds
// w[n]·cos(2πkn/N) and row 129+k holds ±w[n]·sin(2πkn/N), the layout of
// torch.stft's basis that Silero exports. Row 0 (k = 0) is the window itself.
func analysisWindow(basis []float32) ([fftSize]float64, error) {
	var w [fftSize]float64
	for n := range w {
		w[n] = float64(basis[n])
	}
	for _, sign := range [...]float64{-1, 1} {
		if isWindowedFourier(basis, &w, sign) {
			return w, nil
		}
	}
	return w, errors.New("not a windowed Fourier basis, which the detector computes by FFT")
}

// isWindowedFourier reports whether basis is the Fourier basis windowed by
// w, with the given sign on its sine rows.
func isWindowedFourier(basis []float32, w *[fftSize]float64, sign float64) bool {
	for k := 0; k < fftBins; k++ {
		for n := 0; n < fftSize; n++ {
			phase := 2 * math.Pi * float64(k*n%fftSize) / fftSize
			re, im := w[n]*math.Cos(phase), sign*w[n]*math.Sin(phase)
			if math.Abs(re-float64(basis[k*fftSize+n])) > basisTolerance || math.Abs(im-float64(basis[(fftBins+k)*fftSize+n])) > basisTolerance {
				return false
			}
		}
	}
	return true
}
