package container

import (
	"errors"
	"io"
	"math"
	"testing"
	"time"

	"github.com/callscribe/callscribe/codec/ogg"
)

func TestSniff(t *testing.T) {
	for in, want := range map[string]Format{
		"RIFF\x00\x00\x00\x00WAVEfmt ": WAV, "OggS\x00\x02": Ogg, "\x1A\x45\xDF\xA3\x01": WebM, "fLaC\x00": FLAC,
		"ID3\x04\x00": MP3, "\xFF\xFB\x90\x64": MP3, "\xFF\xF1\x50\x80": AAC, "\x00\x00\x00\x20ftypM4A ": MP4,
		"#!AMR\n": AMR, "FORM\x00\x00\x00\x00AIFF": AIFF, "caff\x00\x01": CAF, "\x30\x26\xB2\x75\x8E\x66\xCF\x11\xA6": ASF,
		"hello there": Unknown, "": Unknown, "Og": Unknown,
	} {
		if got := Sniff([]byte(in)); got != want {
			t.Errorf("Sniff(%q) = %v, want %v", in, got, want)
		}
	}
	if Format(99).String() != "unknown" || MP4.String() != "MP4/M4A" {
		t.Error("names")
	}
}

// decodeChunked feeds data to a at sizes(i) bytes a write, decoding after
// each.
func decodeChunked(t *testing.T, a *OpusAudio, data []byte, size int) ([]float32, error) {
	t.Helper()
	var out []float32
	var err error
	for len(data) > 0 && err == nil {
		n := min(size, len(data))
		a.Write(data[:n])
		data = data[n:]
		out, err = a.Decode(out)
	}
	return out, err
}

// Ogg and WebM streams, stereo or mixed, at 16 kHz, whatever the pieces:
// the pre-skip (Ogg's header; WebM's header or codec delay) is dropped,
// the gain applied, the channels interleaved.
func TestOpusAudio(t *testing.T) {
	pkts := fakePackets(50)
	for name, c := range map[string]struct {
		f        Format
		data     []byte
		mix      bool
		channels int
		skip     int     // output samples per channel dropped
		gain     float64 // factor
	}{
		"Ogg stereo":             {Ogg, oggOpus(t, opusHead(2, 312, 0), pkts), false, 2, 104, 1},
		"Ogg stereo mixed":       {Ogg, oggOpus(t, opusHead(2, 312, 0), pkts), true, 1, 104, 1},
		"Ogg mono, +6 dB":        {Ogg, oggOpus(t, opusHead(1, 0, 6*256), pkts), false, 1, 0, math.Pow(10, 6.0/20)},
		"WebM stereo":            {WebM, webmOpus(t, opusHead(2, 312, 0), 2, 6500000, pkts), false, 2, 104, 1},
		"WebM without a header":  {WebM, webmOpus(t, nil, 1, 6500000, pkts), false, 1, 104, 1},
		"WebM mono from stereo ": {WebM, webmOpus(t, opusHead(2, 0, 0), 2, 0, pkts), true, 1, 0, 1},
	} {
		for _, size := range []int{1, 333, 1 << 20} {
			closed := 0
			a, err := NewOpusAudio(c.f, 16000, c.mix, newFake(&closed))
			if err != nil {
				t.Fatal(err)
			}
			out, err := decodeChunked(t, a, c.data, size)
			if err != nil && !errors.Is(err, io.EOF) {
				t.Fatalf("%s in %d: %v", name, size, err)
			}
			perChannel := 50*320 - c.skip
			if a.Channels() != c.channels || len(out) != perChannel*c.channels || a.Rate() != 16000 {
				t.Fatalf("%s in %d: %d channels, %d samples, want %d", name, size, a.Channels(), len(out), perChannel*c.channels)
			}
			// The first sample kept is packet skip/320's, channel 0.
			if want := float32(float64(c.skip/320) / 100 * c.gain); math.Abs(float64(out[0]-want)) > 1e-5 {
				t.Errorf("%s: first sample %v, want %v", name, out[0], want)
			}
			if c.channels == 2 && out[1]-out[0] != 1 {
				t.Errorf("%s: not interleaved: %v", name, out[:4])
			}
			_ = a.Close()
			if closed != 1 {
				t.Errorf("%s: decoder closed %d times", name, closed)
			}
		}
	}
}

func TestOpusAudioRefuses(t *testing.T) {
	vorbis := oggOpus(t, []byte("\x01vorbis\x00\x00\x00\x00\x02"), nil)
	badPacket := append(fakePackets(3), []byte{0xFF, 1})
	for name, c := range map[string]struct {
		f    Format
		data []byte
		want error
	}{
		"Ogg Vorbis":         {Ogg, vorbis, ErrUnsupported},
		"six channels":       {Ogg, oggOpus(t, append(opusHead(6, 0, 0)[:18], 1, 4, 2, 0, 4, 1, 2, 3, 5), nil), ErrUnsupported},
		"WebM Vorbis":        {WebM, webmWithCodec(t, "A_VORBIS"), ErrUnsupported},
		"a packet refused":   {Ogg, oggOpus(t, opusHead(1, 0, 0), badPacket), ErrCorrupt},
		"no OpusTags":        {Ogg, oggNoTags(t), ErrCorrupt},
		"a corrupt page":     {Ogg, append([]byte("OggS\x00\x02"), make([]byte, 40)...), ErrCorrupt},
		"not WebM after all": {WebM, []byte("\x1A\x45\xDF\xA3\x80\x00\x00\x00"), ErrCorrupt},
	} {
		closed := 0
		a, err := NewOpusAudio(c.f, 16000, false, newFake(&closed))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := decodeChunked(t, a, c.data, 100); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", name, err, c.want)
		}
	}
	if _, err := NewOpusAudio(MP3, 16000, false, newFake(new(int))); !errors.Is(err, ErrUnsupported) {
		t.Errorf("Opus in MP3: %v", err)
	}
	if _, err := NewOpusAudio(Ogg, 44100, false, newFake(new(int))); !errors.Is(err, ErrUnsupported) {
		t.Errorf("Opus at 44.1 kHz: %v", err)
	}
}

func webmWithCodec(t *testing.T, codecID string) []byte {
	t.Helper()
	data := webmOpus(t, nil, 1, 0, fakePackets(2))
	i := indexOf(data, "A_OPUS")
	return append(append(append([]byte(nil), data[:i-2]...), 0x86, 0x80|byte(len(codecID))), append([]byte(codecID), data[i+6:]...)...)
}

func indexOf(b []byte, s string) int {
	for i := range b {
		if string(b[i:min(len(b), i+len(s))]) == s {
			return i
		}
	}
	return -1
}

func oggNoTags(t *testing.T) []byte {
	t.Helper()
	var b bytesBuffer
	w := ogg.NewWriter(&b, 1, 0)
	_ = w.WritePacket(opusHead(1, 0, 0), 0)
	_ = w.WritePacket([]byte{8, 1}, 960)
	_ = w.Close()
	return b.data
}

type bytesBuffer struct{ data []byte }

func (b *bytesBuffer) Write(p []byte) (int, error) { b.data = append(b.data, p...); return len(p), nil }

// Whole files: channels apart or mixed, resampled to the rate asked; a
// file over the maximum duration is refused.
func TestDecodeOpusFiles(t *testing.T) {
	data := oggOpus(t, opusHead(2, 0, 0), fakePackets(100)) // 2 s
	o := Options{Rate: 16000, MaxDuration: time.Minute, NewOpusDecoder: newFake(new(int))}
	a, err := Decode(data, Ogg, o)
	if err != nil || len(a.Channels) != 2 || a.SampleRate != 16000 || a.Frames() != 32000 {
		t.Fatalf("%v: %+v", err, a)
	}
	o.Mix = true
	if a, err = Decode(webmOpus(t, opusHead(2, 0, 0), 2, 0, fakePackets(100)), WebM, o); err != nil || len(a.Channels) != 1 || a.Frames() != 32000 {
		t.Fatalf("mixed WebM: %v", err)
	}
	if math.Abs(float64(a.Channels[0][16000]-0.5)) > 0.01 { // packet 50, through a mono decoder
		t.Errorf("mixed sample %v", a.Channels[0][16000])
	}
	o.MaxDuration = time.Second
	if _, err := Decode(data, Ogg, o); !errors.Is(err, ErrTooLong) {
		t.Errorf("2 s with a 1 s bound: %v", err)
	}
	o.NewOpusDecoder = nil
	if _, err := Decode(data, Ogg, o); !errors.Is(err, ErrUnsupported) {
		t.Errorf("no Opus decoder: %v", err)
	}
	for _, f := range []Format{MP4, AAC, Unknown, WAV} {
		if _, err := Decode(data, f, o); !errors.Is(err, ErrUnsupported) {
			t.Errorf("%v: %v", f, err)
		}
	}
	if _, err := Decode([]byte("OggS"), Ogg, Options{Rate: 16000, MaxDuration: time.Second, NewOpusDecoder: newFake(new(int))}); !errors.Is(err, ErrCorrupt) {
		t.Errorf("4 bytes of Ogg: %v", err)
	}
}
