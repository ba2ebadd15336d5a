package vad

import (
	"errors"
	"math"
	"sync"
	"testing"
)

// TestProcessChunking: feeding a track in odd-sized chunks must give exactly
// the probabilities of feeding it whole, and Window must agree with Process.
func TestProcessChunking(t *testing.T) {
	m := testModel(t)
	// 40 windows and a partial one: speech, then the fall into silence.
	audio := readWAV16(t, testdataPath("parity_clip.wav"))[30*WindowSamples : 70*WindowSamples+100]
	whole := m.NewDetector().Process(nil, audio)
	if len(whole) != len(audio)/WindowSamples {
		t.Fatalf("%d probabilities for %d samples", len(whole), len(audio))
	}

	d := m.NewDetector()
	var chunked []float32
	for rest, size := audio, 1; len(rest) > 0; size = size*3%997 + 1 {
		n := min(size, len(rest))
		chunked = d.Process(chunked, rest[:n])
		rest = rest[n:]
	}
	if diff := maxAbsDiff(t, "chunked", chunked, whole); diff != 0 {
		t.Errorf("chunked feeding differs from whole by %g", diff)
	}
	if d.Windows() != int64(len(whole)) {
		t.Errorf("Windows() = %d, want %d", d.Windows(), len(whole))
	}

	w := m.NewDetector()
	for i, want := range whole {
		got, err := w.Window(audio[i*WindowSamples : (i+1)*WindowSamples])
		if err != nil || got != want {
			t.Fatalf("Window %d = %v, %v; Process gave %v", i, got, err, want)
		}
	}
}

// TestResetRestoresInitialState: after Reset a Detector must score a track
// exactly as a fresh one does, although the LSTM state it had differed.
func TestResetRestoresInitialState(t *testing.T) {
	m := testModel(t)
	audio := readWAV16(t, testdataPath("parity_clip.wav"))
	fresh := m.NewDetector().Process(nil, audio[:20*WindowSamples])

	d := m.NewDetector()
	d.Process(nil, audio[30*WindowSamples+100:])
	again := d.Process(nil, audio[:20*WindowSamples])
	if maxAbsDiff(t, "stale", again, fresh) == 0 {
		t.Fatal("state carried over from other audio made no difference; the test proves nothing")
	}
	d.Reset()
	if d.Windows() != 0 {
		t.Errorf("Windows() after Reset = %d", d.Windows())
	}
	reset := d.Process(nil, audio[:20*WindowSamples])
	if diff := maxAbsDiff(t, "reset", reset, fresh); diff != 0 {
		t.Errorf("after Reset, probabilities differ from a fresh Detector by %g", diff)
	}
}

func TestWindowLength(t *testing.T) {
	d := testModel(t).NewDetector()
	for _, n := range []int{0, WindowSamples - 1, WindowSamples + ContextSamples} {
		if _, err := d.Window(make([]float32, n)); !errors.Is(err, ErrWindowLength) {
			t.Errorf("Window(%d samples) error = %v, want ErrWindowLength", n, err)
		}
	}
	if d.Windows() != 0 {
		t.Errorf("rejected windows were counted: %d", d.Windows())
	}
}

func TestWindowAllocatesNothing(t *testing.T) {
	d := testModel(t).NewDetector()
	window := readWAV16(t, testdataPath("parity_clip.wav"))[:WindowSamples]
	probs := make([]float32, 0, 4)
	allocs := testing.AllocsPerRun(50, func() {
		if _, err := d.Window(window); err != nil {
			t.Fatal(err)
		}
		probs = d.Process(probs[:0], window)
	})
	if allocs != 0 {
		t.Errorf("%v allocations per window", allocs)
	}
}

// TestSharedModelConcurrentTracks runs tracks on goroutines over one Model;
// under -race this checks that scoring never writes to the shared weights.
func TestSharedModelConcurrentTracks(t *testing.T) {
	m := testModel(t)
	audio := readWAV16(t, testdataPath("parity_clip.wav"))[:30*WindowSamples]
	want := m.NewDetector().Process(nil, audio)
	var wg sync.WaitGroup
	results := make([][]float32, 3)
	for i := range results {
		wg.Go(func() { results[i] = m.NewDetector().Process(nil, audio) })
	}
	wg.Wait()
	for i, got := range results {
		if diff := maxAbsDiff(t, "track", got, want); diff != 0 {
			t.Errorf("track %d differs by %g", i, diff)
		}
	}
}

// TestNonFiniteSamples: NaN and infinities are scored as silence, so they
// cannot poison the LSTM state for the rest of the track.
func TestNonFiniteSamples(t *testing.T) {
	m := testModel(t)
	audio := readWAV16(t, testdataPath("parity_clip.wav"))[:10*WindowSamples]
	corrupt := append([]float32(nil), audio...)
	zeroed := append([]float32(nil), audio...)
	for i, v := range []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1))} {
		corrupt[700+i*300], zeroed[700+i*300] = v, 0
	}
	got := m.NewDetector().Process(nil, corrupt)
	want := m.NewDetector().Process(nil, zeroed)
	if diff := maxAbsDiff(t, "non-finite", got, want); diff != 0 || math.IsNaN(float64(got[len(got)-1])) {
		t.Errorf("non-finite samples: %v, want %v", got, want)
	}
}
