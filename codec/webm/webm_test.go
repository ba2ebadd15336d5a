package webm

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	ebmlwebm "github.com/at-wat/ebml-go/webm"
)

type closer struct{ *bytes.Buffer }

func (closer) Close() error { return nil }

// recording writes a WebM as a live recorder does (unknown-size Segment
// and Clusters, SimpleBlocks) with another implementation (ebml-go): an
// Opus track and a video track, frames interleaved.
func recording(tb testing.TB, frames int) ([]byte, [][]byte) {
	tb.Helper()
	var b bytes.Buffer
	head := append([]byte("OpusHead\x01\x01\x38\x01\x80\xbb\x00\x00\x00\x00\x00"), []byte{}...)
	ws, err := ebmlwebm.NewSimpleBlockWriter(closer{&b}, []ebmlwebm.TrackEntry{
		{Name: "Audio", TrackNumber: 1, TrackUID: 11, CodecID: "A_OPUS", TrackType: 2, CodecPrivate: head, CodecDelay: 6500000,
			Audio: &ebmlwebm.Audio{SamplingFrequency: 48000, Channels: 1}},
		{Name: "Video", TrackNumber: 2, TrackUID: 22, CodecID: "V_VP8", TrackType: 1, Video: &ebmlwebm.Video{PixelWidth: 2, PixelHeight: 2}},
	})
	if err != nil {
		tb.Fatal(err)
	}
	var want [][]byte
	for i := range frames {
		f := bytes.Repeat([]byte{byte(i)}, 10+i%300)
		want = append(want, f)
		if _, err := ws[0].Write(true, int64(20*i), f); err != nil {
			tb.Fatal(err)
		}
		if i%5 == 0 {
			if _, err := ws[1].Write(true, int64(20*i), make([]byte, 2000)); err != nil {
				tb.Fatal(err)
			}
		}
	}
	for _, w := range ws {
		_ = w.Close()
	}
	return b.Bytes(), want
}

func newDemuxer(tb testing.TB) *Demuxer {
	tb.Helper()
	d, err := New(Config{})
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// readChunked writes data in pieces of sizes(i) bytes, taking every frame
// as soon as its block is whole, until the data ends.
func readChunked(tb testing.TB, d *Demuxer, data []byte, sizes func(i int) int) ([]Frame, error) {
	tb.Helper()
	var got []Frame
	for i := 0; ; i++ {
		for {
			f, err := d.Next()
			if errors.Is(err, ErrNeedMore) {
				break
			}
			if err != nil {
				return got, err
			}
			got = append(got, Frame{f.Track, bytes.Clone(f.Data)})
		}
		if len(data) == 0 {
			return got, nil
		}
		n := min(sizes(i), len(data))
		d.Write(data[:n])
		data = data[n:]
	}
}

// The audio frames come out as they went in, whatever the pieces the bytes
// arrive in; the tracks are known by the first frame.
func TestDemuxerChunking(t *testing.T) {
	data, want := recording(t, 400)
	r := rand.New(rand.NewPCG(5, 6))
	for name, sizes := range map[string]func(int) int{
		"1 byte":    func(int) int { return 1 },
		"333 bytes": func(int) int { return 333 },
		"random":    func(int) int { return 1 + r.IntN(5000) },
		"whole":     func(int) int { return len(data) },
	} {
		d := newDemuxer(t)
		got, err := readChunked(t, d, data, sizes)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var audio [][]byte
		for _, f := range got {
			if f.Track == 1 {
				audio = append(audio, f.Data)
			}
		}
		if len(audio) != len(want) || len(got) != len(want)+len(want)/5 {
			t.Fatalf("%s: %d audio frames of %d, %d in all", name, len(audio), len(want), len(got))
		}
		for i := range want {
			if !bytes.Equal(audio[i], want[i]) {
				t.Fatalf("%s: frame %d differs", name, i)
			}
		}
		tr := d.Tracks()
		if len(tr) != 2 || tr[0].CodecID != "A_OPUS" || tr[0].Type != TrackTypeAudio || tr[0].Channels != 1 || tr[0].SampleRate != 48000 ||
			tr[0].CodecDelay != 6500000 || string(tr[0].CodecPrivate[:8]) != "OpusHead" || tr[1].CodecID != "V_VP8" {
			t.Fatalf("%s: tracks %+v", name, tr)
		}
	}
}

// ebml builds an element.
func ebml(id uint32, body ...[]byte) []byte {
	var out []byte
	for s := 24; s >= 0; s -= 8 {
		if b := byte(id >> s); b != 0 || len(out) > 0 {
			out = append(out, b)
		}
	}
	n := 0
	for _, b := range body {
		n += len(b)
	}
	out = append(out, 0x08, byte(n>>48), byte(n>>40), byte(n>>32), byte(n>>24), byte(n>>16), byte(n>>8), byte(n)) // 8-byte size
	out[len(out)-8] = 0x01
	for _, b := range body {
		out = append(out, b...)
	}
	return out
}

var header = ebml(idEBML, ebml(0x4282, []byte("webm")))

// Blocks laced three ways, in BlockGroups and SimpleBlocks; elements
// passed over (Cues, Void) whatever their size.
func TestDemuxerLacing(t *testing.T) {
	frames := []string{"a", "bb", "", "dddd"}
	xiph := []byte{0x81, 0, 0, 0x02, 3, 1, 2, 0}
	fixed := []byte{0x81, 0, 0, 0x04, 1, 'x', 'y', 'z', 'w'}
	ebmlLaced := []byte{0x81, 0, 0, 0x06, 3, 0x81, 0xC0, 0xBD} // 1, +1 (2), -2 (0)
	for _, f := range frames {
		xiph = append(xiph, f...)
		ebmlLaced = append(ebmlLaced, f...)
	}
	stream := bytes.Join([][]byte{header, {0x18, 0x53, 0x80, 0x67, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF},
		ebml(0x1C53BB6B, make([]byte, 3000)), ebml(0xEC, make([]byte, 10)),
		{0x1F, 0x43, 0xB6, 0x75, 0xFF}, ebml(0xE7, []byte{0}),
		ebml(idSimpleBlock, xiph), ebml(idBlockGroup, ebml(idBlock, fixed), ebml(0x9B, []byte{1})), ebml(idSimpleBlock, ebmlLaced)}, nil)
	got, err := readChunked(t, newDemuxer(t), stream, func(int) int { return 3 })
	if err != nil {
		t.Fatal(err)
	}
	var s []string
	for _, f := range got {
		s = append(s, fmt.Sprintf("%d:%s", f.Track, f.Data))
	}
	if want := "[1:a 1:bb 1: 1:dddd 1:xy 1:zw 1:a 1:bb 1: 1:dddd]"; fmt.Sprint(s) != want {
		t.Errorf("frames %v, want %s", s, want)
	}
}

func TestDemuxerRefuses(t *testing.T) {
	var many [][]byte
	for range 65 {
		many = append(many, ebml(idTrackEntry, ebml(idTrackNumber, []byte{1})))
	}
	for name, c := range map[string]struct {
		data []byte
		want error
	}{
		"not EBML":          {[]byte("OggS\x00\x02......."), ErrCorrupt},
		"a zero ID byte":    {append(bytes.Clone(header), 0, 0, 0), ErrCorrupt},
		"a huge block":      {append(bytes.Clone(header), ebml(idSimpleBlock, make([]byte, 2<<20))...), ErrTooLarge},
		"too many tracks":   {append(bytes.Clone(header), ebml(idTracks, many...)...), ErrTooLarge},
		"an unknown-size":   {append(bytes.Clone(header), 0x1C, 0x53, 0xBB, 0x6B, 0xFF), ErrCorrupt},
		"Xiph past the end": {append(bytes.Clone(header), ebml(idSimpleBlock, []byte{0x81, 0, 0, 0x02, 3, 255, 255})...), ErrCorrupt},
		"fixed unequal":     {append(bytes.Clone(header), ebml(idSimpleBlock, []byte{0x81, 0, 0, 0x04, 1, 'x', 'y', 'z'})...), ErrCorrupt},
		"EBML negative":     {append(bytes.Clone(header), ebml(idSimpleBlock, []byte{0x81, 0, 0, 0x06, 2, 0x81, 0x80, 'a'})...), ErrCorrupt},
	} {
		d := newDemuxer(t)
		_, err := readChunked(t, d, c.data, func(int) int { return 1 << 20 })
		if !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", name, err, c.want)
		}
		if _, again := d.Next(); !errors.Is(again, c.want) {
			t.Errorf("%s: then %v", name, again)
		}
	}
	if _, err := New(Config{MaxElement: 1}); !errors.Is(err, ErrBadConfig) {
		t.Errorf("MaxElement 1: %v", err)
	}
}
