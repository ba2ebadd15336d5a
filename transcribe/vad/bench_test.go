package vad

import (
	"testing"
	"time"
)

// windowDuration is the real time one window of audio lasts.
const windowDuration = time.Second * WindowSamples / SampleRate

// BenchmarkWindow scores real speech one 32 ms window at a time and reports,
// besides ns/op, the share of one core that a single real-time track costs
// (core-share: 0.01 means one core keeps up with 100 tracks).
func BenchmarkWindow(b *testing.B) {
	d := testModel(b).NewDetector()
	audio := readWAV16(b, testdataPath("parity_clip.wav"))
	windows := len(audio) / WindowSamples
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		k := i % windows
		if _, err := d.Window(audio[k*WindowSamples : (k+1)*WindowSamples]); err != nil {
			b.Fatal(err)
		}
	}
	perWindow := float64(b.Elapsed()) / float64(b.N)
	b.ReportMetric(perWindow/float64(windowDuration), "core-share")
}
