package container

import (
	"bytes"
	"errors"
	"testing"

	ebmlwebm "github.com/at-wat/ebml-go/webm"

	"github.com/callscribe/callscribe/codec/ogg"
)

// fakeOpus stands in for libopus: a packet [n, v, ...] decodes to n times
// 2.5 ms a channel, each sample v/100 plus the channel's index; a packet
// starting 0xFF is refused.
type fakeOpus struct {
	rate, channels int
	closed         *int
}

func (f fakeOpus) Decode(dst []float32, p []byte) ([]float32, error) {
	if p[0] == 0xFF || len(p) < 2 {
		return dst, errors.New("fake: bad packet")
	}
	for range int(p[0]) * f.rate / 400 {
		for c := range f.channels {
			dst = append(dst, float32(p[1])/100+float32(c))
		}
	}
	return dst, nil
}

func (f fakeOpus) Close() error { *f.closed++; return nil }

func newFake(closed *int) NewOpusDecoder {
	return func(rate, channels int) (OpusDecoder, error) { return fakeOpus{rate, channels, closed}, nil }
}

// opusHead builds an identification header.
func opusHead(channels, preSkip int, gain int16) []byte {
	h := []byte("OpusHead\x01")
	h = append(h, byte(channels), byte(preSkip), byte(preSkip>>8), 0x80, 0xBB, 0, 0, byte(gain), byte(uint16(gain)>>8), 0)
	return h
}

// oggOpus writes an Ogg Opus stream of the packets, pages of about a
// second as opusenc makes them.
func oggOpus(tb testing.TB, head []byte, pkts [][]byte) []byte {
	tb.Helper()
	var b bytes.Buffer
	w := ogg.NewWriter(&b, 5, 3000)
	if err := w.WritePacket(head, 0); err != nil {
		tb.Fatal(err)
	}
	_ = w.Flush()
	if err := w.WritePacket([]byte("OpusTags\x04\x00\x00\x00test\x00\x00\x00\x00"), 0); err != nil {
		tb.Fatal(err)
	}
	_ = w.Flush()
	var granule int64
	for _, p := range pkts {
		granule += 960
		if err := w.WritePacket(p, granule); err != nil {
			tb.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

type closer struct{ *bytes.Buffer }

func (closer) Close() error { return nil }

// webmOpus writes a WebM as MediaRecorder does, with the header as
// CodecPrivate (or none) and the codec delay.
func webmOpus(tb testing.TB, head []byte, channels int, delay uint64, pkts [][]byte) []byte {
	tb.Helper()
	var b bytes.Buffer
	ws, err := ebmlwebm.NewSimpleBlockWriter(closer{&b}, []ebmlwebm.TrackEntry{{Name: "Audio", TrackNumber: 1, TrackUID: 1,
		CodecID: "A_OPUS", TrackType: 2, CodecPrivate: head, CodecDelay: delay,
		Audio: &ebmlwebm.Audio{SamplingFrequency: 48000, Channels: uint64(channels)}}})
	if err != nil {
		tb.Fatal(err)
	}
	for i, p := range pkts {
		if _, err := ws[0].Write(true, int64(20*i), p); err != nil {
			tb.Fatal(err)
		}
	}
	_ = ws[0].Close()
	return b.Bytes()
}

// fakePackets are n packets of 20 ms, the i-th with value i%100.
func fakePackets(n int) [][]byte {
	var out [][]byte
	for i := range n {
		out = append(out, []byte{8, byte(i % 100), 0, 0})
	}
	return out
}
