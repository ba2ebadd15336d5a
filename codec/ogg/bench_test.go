package ogg

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/pion/webrtc/v4/pkg/media/oggreader"
)

// opusLike is a minute of 20 ms packets of 80 bytes (32 kb/s Opus) in
// pages of about a second, as opusenc writes them.
func opusLike(b *testing.B) []byte {
	b.Helper()
	pkts := make([][]byte, 3000)
	for i := range pkts {
		pkts[i] = bytes.Repeat([]byte{byte(i)}, 80)
	}
	return stream(b, pkts, 4000)
}

// BenchmarkDemuxer reads every packet of a minute of Opus-like Ogg, CRCs
// checked, written in 100 ms pieces as a live stream arrives.
func BenchmarkDemuxer(b *testing.B) {
	data := opusLike(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		d, _ := New(Config{})
		for off := 0; off < len(data); off += 400 {
			d.Write(data[off:min(off+400, len(data))])
			for {
				if _, err := d.Next(); err != nil {
					break
				}
			}
		}
	}
}

// BenchmarkPionOggReader reads the same stream's pages, CRCs checked, with
// pion's oggreader from a whole file (it reads an io.Reader to its end
// and does not split pages into packets).
func BenchmarkPionOggReader(b *testing.B) {
	data := opusLike(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		r, err := oggreader.NewWithOptions(bytes.NewReader(data), oggreader.WithDoChecksum(true))
		if err != nil {
			b.Fatal(err)
		}
		for {
			if _, _, err := r.ParseNextPage(); err != nil {
				if !errors.Is(err, io.EOF) {
					b.Fatal(err)
				}
				break
			}
		}
	}
}
