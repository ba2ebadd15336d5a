package ggmlconv

import (
	"math"
	"testing"
)

// Reference values from librosa 0.11.0 (numpy 2.4),
// librosa.filters.mel(sr=16000, n_fft=400, n_mels=N), float32 bit patterns:
// a spread of its non-zero entries, its count of non-zero entries and the
// float64 sum of all entries.
var melRefs = []struct {
	nMels   int
	nonzero int
	sum     float64
	points  [][3]uint32 // mel band, FFT bin, float32 bits
}{
	{80, 391, 1.999024092387117, [][3]uint32{
		{0, 1, 0x3ccbaca4}, {3, 3, 0x3bc3b4ac}, {51, 66, 0x3c0d5ff5},
		{61, 100, 0x39b019e3}, {69, 130, 0x3b7da4fb}, {79, 199, 0x39eb476a},
	}},
	{128, 394, 3.1909855409403463, [][3]uint32{
		{0, 1, 0x3c4abc43}, {5, 3, 0x3bb8f645}, {82, 67, 0x3bb6bd53},
		{99, 99, 0x3c0f0dce}, {111, 131, 0x3b6688c7}, {127, 199, 0x3a920d0a},
	}},
}

func TestMelFiltersMatchLibrosa(t *testing.T) {
	for _, ref := range melRefs {
		f := melFilters(ref.nMels)
		if len(f) != ref.nMels*201 {
			t.Fatalf("n_mels %d: %d values, want %d", ref.nMels, len(f), ref.nMels*201)
		}
		for _, p := range ref.points {
			got := f[int(p[0])*201+int(p[1])]
			if math.Float32bits(got) != p[2] {
				t.Errorf("n_mels %d: filter[%d][%d] = %.9g, librosa has %.9g",
					ref.nMels, p[0], p[1], got, math.Float32frombits(p[2]))
			}
		}
		nonzero, sum := 0, 0.0
		for _, v := range f {
			if v < 0 {
				t.Fatalf("n_mels %d: negative weight %g", ref.nMels, v)
			}
			if v != 0 {
				nonzero++
			}
			sum += float64(v)
		}
		if nonzero != ref.nonzero || math.Abs(sum-ref.sum) > 1e-12 {
			t.Errorf("n_mels %d: %d non-zero weights summing to %.16g, librosa has %d summing to %.16g",
				ref.nMels, nonzero, sum, ref.nonzero, ref.sum)
		}
	}
}
