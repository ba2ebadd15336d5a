package codec

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"strings"
	"testing"
)

func TestReadWAVEncodings(t *testing.T) {
	f32 := func(vs ...float32) []byte {
		var b []byte
		for _, v := range vs {
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
		}
		return b
	}
	f64 := func(vs ...float64) []byte {
		var b []byte
		for _, v := range vs {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
		}
		return b
	}
	cases := []struct {
		name string
		fmt  []byte
		data []byte
		want [][]float32
	}{
		{"pcm8 mono", fmtBody(tagPCM, 1, 8000, 1, 8), []byte{0, 128, 192},
			[][]float32{{-1, 0, 0.5}}},
		{"pcm16 stereo", fmtBody(tagPCM, 2, 16000, 4, 16), le16(0, -32768, 32767, 1),
			[][]float32{{0, 32767.0 / 32768}, {-1, 1.0 / 32768}}},
		{"pcm16 three channels", fmtBody(tagPCM, 3, 16000, 6, 16), le16(1, 2, 3, -4, -5, -6),
			[][]float32{{1.0 / 32768, -4.0 / 32768}, {2.0 / 32768, -5.0 / 32768}, {3.0 / 32768, -6.0 / 32768}}},
		{"pcm24 stereo", fmtBody(tagPCM, 2, 48000, 6, 24), []byte{0, 0, 0x40, 0, 0, 0xC0},
			[][]float32{{0.5}, {-0.5}}},
		{"pcm20 in 24 bits", fmtBody(tagPCM, 1, 48000, 3, 20), []byte{0x10, 0, 0x80},
			[][]float32{{-1 + 16.0/(1<<23)}}},
		{"pcm32", fmtBody(tagPCM, 1, 44100, 4, 32), []byte{0, 0, 0, 0x40},
			[][]float32{{0.5}}},
		{"float32 stereo", fmtBody(tagFloat, 2, 48000, 8, 32), f32(0.25, -0.75, 1.5, 0),
			[][]float32{{0.25, 1.5}, {-0.75, 0}}},
		{"float32 without cbSize", fmtBody(tagFloat, 1, 48000, 4, 32)[:16], f32(0.125),
			[][]float32{{0.125}}},
		{"float64", fmtBody(tagFloat, 1, 48000, 8, 64), f64(-0.5, 0.0625),
			[][]float32{{-0.5, 0.0625}}},
		{"alaw stereo", fmtBody(tagAlaw, 2, 8000, 2, 8), []byte{0xD5, 0x2A},
			[][]float32{{8.0 / 32768}, {-32256.0 / 32768}}},
		{"mulaw", fmtBody(tagMulaw, 1, 8000, 1, 8), []byte{0xFF, 0x80, 0x00},
			[][]float32{{0, 32124.0 / 32768, -32124.0 / 32768}}},
		{"extensible pcm16", extensibleBody(tagPCM, 2, 16000, 16, 16), le16(-16384, 16384),
			[][]float32{{-0.5}, {0.5}}},
		{"extensible pcm24 in 32", extensibleBody(tagPCM, 1, 96000, 32, 24), []byte{0, 0, 0, 0xC0},
			[][]float32{{-0.5}}},
		{"extensible float32", extensibleBody(tagFloat, 1, 16000, 32, 32), f32(-0.25),
			[][]float32{{-0.25}}},
		{"extensible mulaw", extensibleBody(tagMulaw, 1, 8000, 8, 8), []byte{0x80},
			[][]float32{{32124.0 / 32768}}},
	}
	for _, c := range cases {
		a, err := ReadWAV(bytes.NewReader(buildWAV(ck("fmt ", c.fmt), ck("data", c.data))))
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		wantRate := int(binary.LittleEndian.Uint32(c.fmt[4:]))
		if a.SampleRate != wantRate || !equalChannels(a.Channels, c.want) {
			t.Errorf("%s: got %d Hz %v, want %d Hz %v", c.name, a.SampleRate, a.Channels, wantRate, c.want)
		}
	}
}

// TestReadWAVChunkLayouts covers files whose chunks are not simply fmt
// then data.
func TestReadWAVChunkLayouts(t *testing.T) {
	mono := fmtBody(tagPCM, 1, 8000, 1, 8)
	want := [][]float32{{-1, 0, 0.5}}
	data := []byte{0, 128, 192} // odd size: padded
	cases := []struct {
		name string
		file []byte
	}{
		{"odd chunk before fmt", buildWAV(ck("LIST", []byte("INFOx")), ck("fmt ", mono), ck("data", data))},
		{"chunks after data", buildWAV(ck("fmt ", mono), ck("data", data), ck("LIST", []byte("abc")))},
		{"data before fmt", buildWAV(ck("data", data), ck("JUNK", []byte{1}), ck("fmt ", mono))},
		{"truncated chunk after data", buildWAV(ck("fmt ", mono), ck("data", data), chunk{"LIST", nil, 100})},
		{"missing final pad byte", buildWAV(ck("fmt ", mono), ck("data", data))[:8+4+8+16+8+3]},
		{"streamed, unknown data size, cut mid-frame", buildWAV(ck("fmt ", fmtBody(tagPCM, 1, 8000, 2, 16)),
			chunk{"data", le16(-32768, 0, 16384, 99), unknownSize})[:12+8+16+8+7]},
	}
	for _, c := range cases {
		a, err := ReadWAV(bytes.NewReader(c.file))
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if !equalChannels(a.Channels, want) {
			t.Errorf("%s: got %v, want %v", c.name, a.Channels, want)
		}
	}
}

func TestReadWAVErrors(t *testing.T) {
	pcm := fmtBody(tagPCM, 1, 16000, 2, 16)
	data := ck("data", le16(1, 2))
	withFmt := func(f []byte) []byte { return buildWAV(ck("fmt ", f), data) }
	patch := func(b []byte, at int, v uint16) []byte {
		b = bytes.Clone(b)
		binary.LittleEndian.PutUint16(b[at:], v)
		return b
	}
	badGUID := extensibleBody(tagPCM, 1, 16000, 16, 16)
	badGUID[39] ^= 0xFF
	cases := []struct {
		name string
		file []byte
		want error
	}{
		{"empty", nil, ErrNotWAV},
		{"text", []byte("hello, this is not audio"), ErrNotWAV},
		{"RIFF but AVI", append([]byte("RIFF\x04\x00\x00\x00AVI "), 0), ErrNotWAV},
		{"short RIFF header", []byte("RIFF\x04\x00"), ErrTruncated},
		{"cut chunk header", append(buildWAV(), "fmt "...), ErrTruncated},
		{"no chunks", buildWAV(), ErrMalformed},
		{"no fmt", buildWAV(data), ErrMalformed},
		{"no data", buildWAV(ck("fmt ", pcm)), ErrMalformed},
		{"fmt too short", withFmt(pcm[:14]), ErrMalformed},
		{"fmt cut off", buildWAV(ck("fmt ", pcm))[:12+8+10], ErrTruncated},
		{"zero channels", withFmt(patch(pcm, 2, 0)), ErrMalformed},
		{"zero rate", withFmt(patch(patch(pcm, 4, 0), 6, 0)), ErrMalformed},
		{"zero bits", withFmt(patch(pcm, 14, 0)), ErrMalformed},
		{"block align mismatch", withFmt(patch(pcm, 12, 4)), ErrMalformed},
		{"block align not per channel", withFmt(fmtBody(tagPCM, 2, 16000, 3, 16)), ErrMalformed},
		{"ADPCM", withFmt(fmtBody(2, 1, 8000, 256, 4)), ErrUnsupportedFormat},
		{"16-bit float", withFmt(fmtBody(tagFloat, 1, 8000, 2, 16)), ErrUnsupportedFormat},
		{"96-bit PCM", withFmt(fmtBody(tagPCM, 1, 8000, 12, 96)), ErrUnsupportedFormat},
		{"extensible too short", withFmt(extensibleBody(tagPCM, 1, 16000, 16, 16)[:24]), ErrMalformed},
		{"extensible valid bits > container", withFmt(extensibleBody(tagPCM, 1, 16000, 16, 24)), ErrMalformed},
		{"extensible unknown GUID", withFmt(badGUID), ErrUnsupportedFormat},
		{"data cut off", buildWAV(ck("fmt ", pcm), chunk{"data", le16(1, 2), 400}), ErrTruncated},
		{"data before fmt cut off", buildWAV(chunk{"data", le16(1, 2), 400}), ErrTruncated},
		{"partial frame", buildWAV(ck("fmt ", pcm), ck("data", []byte{1, 2, 3})), ErrMalformed},
		{"second fmt", buildWAV(ck("fmt ", pcm), ck("fmt ", pcm), data), ErrMalformed},
		{"second data", buildWAV(data, data, ck("fmt ", pcm)), ErrMalformed},
		{"unknown chunk cut off", buildWAV(chunk{"JUNK", []byte{1, 2}, 1000}), ErrTruncated},
	}
	for _, c := range cases {
		a, err := ReadWAV(bytes.NewReader(c.file))
		if !errors.Is(err, c.want) || a != nil {
			t.Errorf("%s: got %v, %v; want error %v", c.name, a, err, c.want)
			continue
		}
		if !strings.HasPrefix(err.Error(), "wav: ") {
			t.Errorf("%s: error %q lacks the wav: context", c.name, err)
		}
	}
}

type failingReader struct {
	data []byte
	err  error
}

func (r *failingReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, r.err
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

func TestReadWAVPassesReaderErrors(t *testing.T) {
	boom := errors.New("disk on fire")
	file := buildWAV(ck("fmt ", fmtBody(tagPCM, 1, 8000, 2, 16)), ck("data", le16(1, 2, 3, 4)))
	for _, cut := range []int{6, 20, 40, len(file) - 2} {
		_, err := ReadWAV(&failingReader{data: file[:cut], err: boom})
		if !errors.Is(err, boom) {
			t.Errorf("reader failing after %d bytes: got %v, want %v", cut, err, boom)
		}
	}
}

func equalChannels(a, b [][]float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if math.Float32bits(a[i][j]) != math.Float32bits(b[i][j]) {
				return false
			}
		}
	}
	return true
}
