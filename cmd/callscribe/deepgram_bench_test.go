package main

import (
	"testing"

	"github.com/callscribe/callscribe/bridge/trackfeed"
	"github.com/callscribe/callscribe/codec"
	"github.com/callscribe/callscribe/codec/container"
	"github.com/callscribe/callscribe/transcribe"
)

// BenchmarkDeepgramFormats measures what a Deepgram live stream's audio
// costs before the pipeline, per second of real speech, by how it is
// sent: raw linear16 at 16 and 48 kHz (decoded and resampled), and the
// same speech as browser Opus (48 kHz, 32 kb/s) in Ogg and in WebM,
// demuxed in 100 ms messages and decoded by libopus straight to 16 kHz,
// or at 48 kHz and resampled (what the WebRTC door does). Each writes
// into a trackfeed with a sink that keeps nothing. It reports CPU seconds
// per second of audio (cpu-s/audio-s).
func BenchmarkDeepgramFormats(b *testing.B) {
	audio := benchSpeech(b)
	seconds := float64(len(audio)) / 16000
	packets := browserOpus(b, audio)
	wide, err := codec.Resample(audio, 16000, 48000)
	if err != nil {
		b.Fatal(err)
	}
	raw16, raw48 := linear16(audio), linear16(wide)
	rawPath := func(rate int, data []byte) func(b *testing.B) {
		return func(b *testing.B) {
			b.Helper()
			feed, err := trackfeed.New(discard{}, rate)
			if err != nil {
				b.Fatal(err)
			}
			chunk := rate * 2 / 10
			var s []float32
			for off := 0; off < len(data); off += chunk {
				s = codec.DecodeLinear16LE(s[:0], data[off:min(off+chunk, len(data))])
				if err := feed.Write(s); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	opusPath := func(f container.Format, data []byte, rate int) func(b *testing.B) {
		return func(b *testing.B) {
			b.Helper()
			oa, err := container.NewOpusAudio(f, rate, false, newOpusDecoder)
			if err != nil {
				b.Fatal(err)
			}
			defer oa.Close()
			feed, err := trackfeed.New(discard{}, rate)
			if err != nil {
				b.Fatal(err)
			}
			chunk := len(data) * 100 / int(seconds*1000) // 100 ms of the stream's bytes
			var s []float32
			for off := 0; off < len(data); off += chunk {
				oa.Write(data[off:min(off+chunk, len(data))])
				if s, err = oa.Decode(s[:0]); err != nil && oa.Channels() == 0 {
					b.Fatal(err)
				}
				if err := feed.Write(s); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	oggData, webmData := oggOpus(b, 1, packets), webmOpus(b, 1, packets)
	for _, c := range []struct {
		name string
		run  func(b *testing.B)
	}{
		{"linear16-16k", rawPath(16000, raw16)},
		{"linear16-48k", rawPath(48000, raw48)},
		{"ogg-opus", opusPath(container.Ogg, oggData, 16000)},
		{"webm-opus", opusPath(container.WebM, webmData, 16000)},
		{"ogg-opus-48k-resampled", opusPath(container.Ogg, oggData, 48000)},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			before := transcribe.ProcessCPU()
			for b.Loop() {
				c.run(b)
			}
			// The process's CPU time, not the wall time: on a shared
			// machine the other work's share of the cores is not ours.
			b.ReportMetric((transcribe.ProcessCPU()-before).Seconds()/float64(b.N)/seconds, "cpu-s/audio-s")
		})
	}
}
