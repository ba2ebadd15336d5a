package ggmlconv

import (
	"math"

	"github.com/callscribe/callscribe/transcribe"
)

// Whisper's front end: 16 kHz audio, 400-sample FFT frames.
const (
	sampleRate = transcribe.SampleRate
	nFFT       = 400
)

// melFilters returns Whisper's mel filterbank as nMels rows of
// 1+nFFT/2 float32 weights, row-major, the layout whisper.cpp reads. It
// computes what librosa.filters.mel(sr=16000, n_fft=400, n_mels=nMels)
// returns and OpenAI ships as mel_filters.npz: triangular filters on the
// Slaney mel scale between 0 Hz and Nyquist, each scaled by 2/(bandwidth in
// Hz) so that every filter has the same area (Slaney normalisation).
// Arithmetic follows librosa step by step (float64, with the triangle
// stored as float32 before the area scaling) so the values match it to the
// last bit rather than approximately.
func melFilters(nMels int) []float32 {
	nBins := 1 + nFFT/2
	fftFreqs := make([]float64, nBins)
	for k := range fftFreqs {
		fftFreqs[k] = float64(k) * sampleRate / nFFT // linspace(0, sr/2, nBins)
	}
	// nMels+2 band edges evenly spaced in mel between 0 Hz and Nyquist.
	// numpy.linspace computes start + i*step and pins the last point to stop.
	lo, hi := hzToMel(0), hzToMel(sampleRate/2)
	edges := make([]float64, nMels+2)
	step := (hi - lo) / float64(nMels+1)
	for i := range edges {
		edges[i] = melToHz(float64(i)*step + lo)
	}
	edges[nMels+1] = melToHz(hi)
	out := make([]float32, nMels*nBins)
	for m := 0; m < nMels; m++ {
		left, centre, right := edges[m], edges[m+1], edges[m+2]
		norm := 2 / (right - left)
		for k, f := range fftFreqs {
			rising := (f - left) / (centre - left)
			falling := (right - f) / (right - centre)
			w := float32(math.Max(0, math.Min(rising, falling)))
			out[m*nBins+k] = float32(float64(w) * norm)
		}
	}
	return out
}

// The Slaney mel scale (librosa's default, htk=False): linear below 1 kHz at
// 3 mel per 200 Hz, logarithmic above with 27 mel per factor 6.4.
const (
	melLinearHz   = 200.0 / 3
	melBreakHz    = 1000.0
	melBreak      = melBreakHz / melLinearHz
	melLogStepDiv = 27.0
	melLogBase    = 6.4
)

func hzToMel(hz float64) float64 {
	if hz < melBreakHz {
		return hz / melLinearHz
	}
	return melBreak + math.Log(hz/melBreakHz)/(math.Log(melLogBase)/melLogStepDiv)
}

func melToHz(mel float64) float64 {
	if mel < melBreak {
		return mel * melLinearHz
	}
	return melBreakHz * math.Exp((math.Log(melLogBase)/melLogStepDiv)*(mel-melBreak))
}
