package main

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/callscribe/callscribe/bridge/rtpaudio"
	"github.com/callscribe/callscribe/codec/opus"
)

// discard is a TrackSink that takes audio and keeps nothing, so that the
// benchmark measures the transport alone.
type discard struct{}

func (discard) Write(int64, []float32) error { return nil }
func (discard) Finalize() error              { return nil }
func (discard) Close(context.Context) error  { return nil }

// BenchmarkWebRTCTrackPath measures what the WebRTC transport spends on
// one track's audio, per 20 ms Opus packet of real speech: the jitter
// buffer, libopus decoding at 48 kHz (with concealment of the 5% lost),
// and resampling to 16 kHz, into a sink that discards. It reports CPU
// seconds per second of a two-track call (cpu-s/call-s); the pion side
// (SRTP, the socket) is not in it.
func BenchmarkWebRTCTrackPath(b *testing.B) {
	audio := benchSpeech(b)
	packets := opusPackets(b, audio)
	rng := rand.New(rand.NewPCG(1, 2))
	lost := make([]bool, len(packets))
	for i := range lost {
		lost[i] = i > 0 && rng.Float64() < 0.05
	}
	newTrack := func() *rtpaudio.Track {
		dec, err := opus.NewDecoder(rtpaudio.OpusClockRate)
		if err != nil {
			b.Fatal(err)
		}
		tr, err := rtpaudio.New(rtpaudio.Config{ClockRate: rtpaudio.OpusClockRate, Duration: rtpaudio.OpusDuration}, dec, discard{})
		if err != nil {
			b.Fatal(err)
		}
		return tr
	}
	tr := newTrack()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := i % len(packets)
		if k == 0 && i > 0 {
			// A new stream every pass: timestamps keep to real time.
			_ = tr.Close(context.Background())
			tr = newTrack()
		}
		if lost[k] {
			continue
		}
		err := tr.Push(rtpaudio.Packet{Seq: uint16(k), Timestamp: uint32(k) * 960, Payload: packets[k],
			At: time.Duration(k) * 20 * time.Millisecond})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	_ = tr.Close(context.Background())
	perPacket := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	b.ReportMetric(2*perPacket/20e6, "cpu-s/call-s")
}

// benchSpeech returns the corpus clips LJ001-0001 to 0003 joined, 16 kHz:
// the audio the transport benchmarks feed. It skips b without the corpus.
func benchSpeech(b *testing.B) []float32 {
	b.Helper()
	clips := corpus(b)
	var audio []float32
	for _, name := range []string{"LJ001-0001", "LJ001-0002", "LJ001-0003"} {
		c, ok := clips[name]
		if !ok {
			b.Fatalf("the corpus has no clip %s", name)
		}
		audio = append(audio, c.Samples()...)
	}
	return audio
}
