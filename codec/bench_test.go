package codec

import (
	"bytes"
	"fmt"
	"testing"
)

// BenchmarkMulaw8kTo16kFrame is the hot path of a Twilio call: decode one
// 20 ms frame of 160 mu-law bytes and resample it to 320 samples at 16 kHz.
// core/stream is the fraction of one CPU core a real-time stream uses.
func BenchmarkMulaw8kTo16kFrame(b *testing.B) {
	frame := EncodeMulaw(nil, tone(160, 440, 8000, 0.5))
	r := mustResampler(b, 8000, 16000)
	pcm := make([]float32, 0, 160)
	out := make([]float32, 0, 2*r.MaxOutputLen(160))
	b.ReportAllocs()
	for b.Loop() {
		pcm = DecodeMulaw(pcm[:0], frame)
		out = r.Process(out[:0], pcm)
	}
	reportFrameCost(b, 20e6)
}

// BenchmarkResample20ms measures other rates on 20 ms frames.
func BenchmarkResample20ms(b *testing.B) {
	for _, p := range [][2]int{{48000, 16000}, {44100, 16000}, {16000, 8000}, {22050, 16000}} {
		b.Run(fmt.Sprintf("%d-%d", p[0], p[1]), func(b *testing.B) {
			r := mustResampler(b, p[0], p[1])
			frame := tone(p[0]/50, 440, float64(p[0]), 0.5)
			out := make([]float32, 0, 2*r.MaxOutputLen(len(frame)))
			b.ReportAllocs()
			for b.Loop() {
				out = r.Process(out[:0], frame)
			}
			reportFrameCost(b, 20e6)
		})
	}
}

// reportFrameCost adds ns/frame and the share of a core that a stream of
// such frames, each lasting frameNs of real time, keeps busy.
func reportFrameCost(b *testing.B, frameNs float64) {
	b.Helper()
	ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	b.ReportMetric(ns, "ns/frame")
	b.ReportMetric(ns/frameNs, "core/stream")
}

// BenchmarkReadWAV reads ten seconds of 16 kHz stereo PCM16.
func BenchmarkReadWAV(b *testing.B) {
	var file bytes.Buffer
	if err := WriteWAV(&file, randomAudio(16000, 2, 160000), FormatPCM16); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(file.Len()))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadWAV(bytes.NewReader(file.Bytes())); err != nil {
			b.Fatal(err)
		}
	}
}
