package codec

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// ratePairs are the conversions the service meets: telephony up to the
// recogniser's 16 kHz, and common file and browser rates down to it.
var ratePairs = [][2]int{
	{8000, 16000}, {16000, 8000}, {48000, 16000}, {44100, 16000},
	{22050, 16000}, {11025, 16000}, {32000, 16000}, {24000, 16000},
	{16000, 44100}, {12000, 16000},
}

func TestNewResamplerRejectsBadRates(t *testing.T) {
	cases := []struct {
		in, out int
		want    error
	}{
		{0, 16000, ErrInvalidRate},
		{-8000, 16000, ErrInvalidRate},
		{8000, 0, ErrInvalidRate},
		{8000, -1, ErrInvalidRate},
		{MaxSampleRate + 1, 16000, ErrInvalidRate},
		{16000, 2_000_000_000, ErrInvalidRate},
		{1_000_000, 1000, ErrUnsupportedRatio},    // ratio 1000
		{100, 48000, ErrUnsupportedRatio},         // ratio 480
		{7999, 16000, ErrUnsupportedRatio},        // 16000 phases
		{999_983, 1_000_000, ErrUnsupportedRatio}, // coprime rates
	}
	for _, c := range cases {
		r, err := NewResampler(c.in, c.out)
		if !errors.Is(err, c.want) {
			t.Errorf("NewResampler(%d, %d) error = %v, want %v", c.in, c.out, err, c.want)
		}
		if r != nil {
			t.Errorf("NewResampler(%d, %d) returned a Resampler with an error", c.in, c.out)
		}
		if _, err := Resample([]float32{1}, c.in, c.out); !errors.Is(err, c.want) {
			t.Errorf("Resample(%d, %d) error = %v, want %v", c.in, c.out, err, c.want)
		}
	}
}

func TestResamplerIdentity(t *testing.T) {
	src := make([]float32, 1000)
	for i := range src {
		src[i] = rand.Float32()*2 - 1
	}
	r := mustResampler(t, 16000, 16000)
	got := r.Process(nil, src[:300])
	got = r.Process(got, src[300:])
	got = r.Flush(got)
	if len(got) != len(src) {
		t.Fatalf("identity gave %d samples, want %d", len(got), len(src))
	}
	for i := range src {
		if got[i] != src[i] {
			t.Fatalf("identity changed sample %d: %v -> %v", i, src[i], got[i])
		}
	}
}

func TestResampleLength(t *testing.T) {
	for _, p := range ratePairs {
		for _, n := range []int{0, 1, 2, 3, 159, 160, 441, 1000, 4801} {
			got, err := Resample(make([]float32, n), p[0], p[1])
			if err != nil {
				t.Fatal(err)
			}
			want := int(math.Round(float64(n) * float64(p[1]) / float64(p[0])))
			if len(got) != want {
				t.Errorf("%d->%d: %d samples in, %d out, want %d", p[0], p[1], n, len(got), want)
			}
		}
	}
}

// TestResamplerStreamingMatchesOneShot feeds random chunk sizes, including
// empty chunks and chunks longer than the internal buffer, and expects the
// very same samples as one call over the whole input.
func TestResamplerStreamingMatchesOneShot(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	src := make([]float32, 20000)
	for i := range src {
		src[i] = rng.Float32()*2 - 1
	}
	for _, p := range ratePairs {
		t.Run(fmt.Sprintf("%d-%d", p[0], p[1]), func(t *testing.T) {
			want, err := Resample(src, p[0], p[1])
			if err != nil {
				t.Fatal(err)
			}
			r := mustResampler(t, p[0], p[1])
			for round := range 2 { // the second round checks Flush resets
				var got []float32
				for rest := src; len(rest) > 0; {
					n := min(len(rest), rng.IntN(3000))
					bound := r.MaxOutputLen(n)
					before := len(got)
					got = r.Process(got, rest[:n])
					if len(got)-before > bound {
						t.Fatalf("Process(%d) gave %d samples, MaxOutputLen said at most %d", n, len(got)-before, bound)
					}
					rest = rest[n:]
				}
				got = r.Flush(got)
				if len(got) != len(want) {
					t.Fatalf("round %d: streamed %d samples, one-shot %d", round, len(got), len(want))
				}
				for i := range want {
					if got[i] != want[i] {
						t.Fatalf("round %d: sample %d streamed %v, one-shot %v", round, i, got[i], want[i])
					}
				}
			}
		})
	}
}

// TestResamplerClickAlignment puts a single click in silence and expects
// the output peak at the output sample nearest the click's time.
func TestResamplerClickAlignment(t *testing.T) {
	for _, p := range ratePairs {
		for _, at := range []int{0, 1, 2, 777, 1234, 3999} {
			src := make([]float32, 4000)
			src[at] = 1
			out, err := Resample(src, p[0], p[1])
			if err != nil {
				t.Fatal(err)
			}
			peak := 0
			for i, v := range out {
				if v > out[peak] {
					peak = i
				}
			}
			want := float64(at) * float64(p[1]) / float64(p[0])
			if math.Abs(float64(peak)-want) > 1 {
				t.Errorf("%d->%d: click at input %d peaks at output %d, want %.2f", p[0], p[1], at, peak, want)
			}
		}
	}
}

func TestResamplerReset(t *testing.T) {
	src := tone(1000, 440, 8000, 0.5)
	r := mustResampler(t, 8000, 16000)
	r.Process(nil, tone(500, 1000, 8000, 0.9)) // a stream abandoned midway
	r.Reset()
	got := r.Flush(r.Process(nil, src))
	want, _ := Resample(src, 8000, 16000)
	if len(got) != len(want) {
		t.Fatalf("after Reset: %d samples, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("after Reset: sample %d is %v, want %v", i, got[i], want[i])
		}
	}
}

func TestResamplerProcessDoesNotAllocate(t *testing.T) {
	for _, p := range ratePairs {
		r := mustResampler(t, p[0], p[1])
		frame := tone(p[0]/50, 300, float64(p[0]), 0.5) // 20 ms
		dst := make([]float32, 0, 4*len(frame)*p[1]/p[0]+r.Taps())
		allocs := testing.AllocsPerRun(200, func() {
			dst = r.Process(dst[:0], frame)
		})
		if allocs != 0 {
			t.Errorf("%d->%d: Process allocated %.1f times per frame", p[0], p[1], allocs)
		}
	}
}
