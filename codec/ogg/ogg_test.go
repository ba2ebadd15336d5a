package ogg

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4/pkg/media/oggwriter"
)

// packets returns n packets of varied sizes, some longer than a page's
// segment table can end (over 255*255 bytes), some empty.
func packets(n int) [][]byte {
	r := rand.New(rand.NewPCG(1, 2))
	out := make([][]byte, n)
	for i := range out {
		size := r.IntN(400)
		switch i % 17 {
		case 3:
			size = 255 * 3 // a multiple of 255: ends with a zero lacing value
		case 7:
			size = 70000 // spans pages
		case 11:
			size = 0
		}
		p := make([]byte, size)
		for j := range p {
			p[j] = byte(i + j)
		}
		out[i] = p
	}
	return out
}

func stream(tb testing.TB, pkts [][]byte, pageBytes int) []byte {
	tb.Helper()
	var b bytes.Buffer
	w := NewWriter(&b, 7, pageBytes)
	for i, p := range pkts {
		if err := w.WritePacket(p, int64(i)); err != nil {
			tb.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// readChunked writes data in pieces of the sizes sizes(i) gives, reading
// every packet as soon as it is whole.
func readChunked(tb testing.TB, d *Demuxer, data []byte, sizes func(i int) int) ([][]byte, error) {
	tb.Helper()
	var got [][]byte
	for i := 0; ; i++ {
		for {
			p, err := d.Next()
			if errors.Is(err, ErrNeedMore) {
				break
			}
			if err != nil {
				return got, err
			}
			got = append(got, bytes.Clone(p))
		}
		if len(data) == 0 {
			return got, io.ErrUnexpectedEOF
		}
		n := min(sizes(i), len(data))
		d.Write(data[:n])
		data = data[n:]
	}
}

func newDemuxer(tb testing.TB) *Demuxer {
	tb.Helper()
	d, err := New(Config{})
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// Packets come out as they went in, whatever the pieces the bytes arrive
// in: one byte at a time, 333 bytes, random sizes, pages of one packet or
// of many, packets spanning pages.
func TestDemuxerChunking(t *testing.T) {
	pkts := packets(60)
	r := rand.New(rand.NewPCG(3, 4))
	for _, pageBytes := range []int{0, 4000} {
		data := stream(t, pkts, pageBytes)
		for name, sizes := range map[string]func(int) int{
			"1 byte":    func(int) int { return 1 },
			"333 bytes": func(int) int { return 333 },
			"random":    func(int) int { return 1 + r.IntN(9000) },
			"whole":     func(int) int { return len(data) },
		} {
			got, err := readChunked(t, newDemuxer(t), data, sizes)
			if !errors.Is(err, io.EOF) {
				t.Fatalf("pages of %d, %s: %v after %d packets", pageBytes, name, err, len(got))
			}
			if len(got) != len(pkts) {
				t.Fatalf("pages of %d, %s: %d packets, want %d", pageBytes, name, len(got), len(pkts))
			}
			for i := range pkts {
				if !bytes.Equal(got[i], pkts[i]) {
					t.Fatalf("pages of %d, %s: packet %d differs (%d bytes, want %d)", pageBytes, name, i, len(got[i]), len(pkts[i]))
				}
			}
		}
	}
}

// A stream written by another implementation (pion's Ogg Opus writer):
// its two header packets, then each payload.
func TestDemuxerReadsPionOggWriter(t *testing.T) {
	var b bytes.Buffer
	w, err := oggwriter.NewWith(&b, 48000, 2)
	if err != nil {
		t.Fatal(err)
	}
	var want [][]byte
	for i := range 50 {
		payload := append([]byte{0xFC}, bytes.Repeat([]byte{byte(i)}, 20+i)...) // a 20 ms CELT frame's TOC byte
		want = append(want, payload)
		if err := w.WriteRTP(&rtp.Packet{Header: rtp.Header{SequenceNumber: uint16(i), Timestamp: uint32(960 * i)}, Payload: payload}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	// Written to a plain io.Writer, pion's stream has no last page.
	got, err := readChunked(t, newDemuxer(t), b.Bytes(), func(int) int { return 100 })
	if !errors.Is(err, io.ErrUnexpectedEOF) || len(got) != 52 {
		t.Fatalf("%v, %d packets", err, len(got))
	}
	if string(got[0][:8]) != "OpusHead" || string(got[1][:8]) != "OpusTags" {
		t.Fatalf("headers %q %q", got[0][:8], got[1][:8])
	}
	for i, p := range want {
		if !bytes.Equal(got[i+2], p) {
			t.Fatalf("packet %d differs", i)
		}
	}
}

// Pages of another logical stream multiplexed beside the first are passed
// over.
func TestDemuxerFollowsTheFirstStream(t *testing.T) {
	var a, b bytes.Buffer
	wa, wb := NewWriter(&a, 1, 0), NewWriter(&b, 2, 0)
	var mixed []byte
	for i := range 5 {
		a.Reset()
		b.Reset()
		if err := wa.WritePacket([]byte{byte(i)}, int64(i)); err != nil {
			t.Fatal(err)
		}
		if err := wb.WritePacket([]byte{99}, int64(i)); err != nil {
			t.Fatal(err)
		}
		mixed = append(append(mixed, a.Bytes()...), b.Bytes()...)
	}
	got, _ := readChunked(t, newDemuxer(t), mixed, func(int) int { return 7 })
	if fmt.Sprint(got) != "[[0] [1] [2] [3] [4]]" {
		t.Errorf("got %v", got)
	}
}

func TestDemuxerRefusesCorruptStreams(t *testing.T) {
	good := stream(t, packets(5), 0)
	flip := bytes.Clone(good)
	flip[40] ^= 1
	noFirst := bytes.Clone(good[bytes.Index(good[4:], []byte("OggS"))+4:])
	for name, c := range map[string]struct {
		data []byte
		want error
	}{
		"a flipped bit":    {flip, ErrCorrupt},
		"not Ogg":          {[]byte("RIFF....WAVEfmt "), ErrCorrupt},
		"no first page":    {noFirst, ErrCorrupt},
		"version 1":        {append([]byte("OggS\x01"), good[5:]...), ErrCorrupt},
		"a packet too big": {stream(t, [][]byte{make([]byte, 300<<10)}, 0), ErrTooLarge},
	} {
		d := newDemuxer(t)
		_, err := readChunked(t, d, c.data, func(int) int { return 1000 })
		if !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", name, err, c.want)
		}
		if _, again := d.Next(); !errors.Is(again, c.want) {
			t.Errorf("%s: then %v", name, again)
		}
	}
	// A packet spanning pages whose continuation never comes.
	var b bytes.Buffer
	w := NewWriter(&b, 1, 1<<20)
	_ = w.WritePacket(make([]byte, 70000), 0) // its first page only
	d := newDemuxer(t)
	d.Write(b.Bytes())
	var tail bytes.Buffer
	w3 := NewWriter(&tail, 1, 0)
	w3.started, w3.seq = true, 9
	_ = w3.WritePacket([]byte{1}, 1)
	d.Write(tail.Bytes())
	if _, err := d.Next(); !errors.Is(err, ErrCorrupt) {
		t.Errorf("a packet cut short: %v", err)
	}
}

func TestConfig(t *testing.T) {
	if _, err := New(Config{MaxPacket: -1}); !errors.Is(err, ErrBadConfig) {
		t.Errorf("MaxPacket -1: %v", err)
	}
}
