package container

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/callscribe/callscribe/codec"
)

// FuzzOpusAudio feeds arbitrary bytes as Ogg or WebM, in two pieces, to
// an OpusAudio with a fake decoder: it must never panic, and every
// failure must be a documented sentinel.
func FuzzOpusAudio(f *testing.F) {
	f.Add(oggOpus(f, opusHead(2, 312, 0), fakePackets(5)), uint16(50), false)
	f.Add(webmOpus(f, opusHead(1, 0, 256), 1, 0, fakePackets(5)), uint16(200), true)
	f.Add(webmOpus(f, nil, 2, 6500000, fakePackets(5)), uint16(7), true)
	f.Fuzz(func(t *testing.T, data []byte, split uint16, webm bool) {
		format := Ogg
		if webm {
			format = WebM
		}
		a, err := NewOpusAudio(format, 16000, false, newFake(new(int)))
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		at := min(int(split), len(data))
		var out []float32
		for _, part := range [][]byte{data[:at], data[at:]} {
			a.Write(part)
			if out, err = a.Decode(out[:0]); err != nil {
				if !errors.Is(err, io.EOF) && !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrUnsupported) {
					t.Fatalf("undocumented error %v", err)
				}
				return
			}
			if c := a.Channels(); c > 2 || (c > 0 && len(out)%c != 0) {
				t.Fatalf("%d channels, %d samples", c, len(out))
			}
		}
	})
}

// FuzzDecode feeds arbitrary bytes to Decode as each format (the MP3 and
// FLAC decoders are other projects' code): it must never panic, every
// failure must be a documented sentinel, and the audio it returns must be
// consistent and within the duration bound. testdata/fuzz/FuzzDecode
// keeps an MP3 frame on which go-mp3 v0.3.4 panics (an index out of range
// reading MPEG-2 scale factors), found in seconds: Decode must turn it into
// ErrCorrupt.
func FuzzDecode(f *testing.F) {
	f.Add(oggOpus(f, opusHead(1, 0, 0), fakePackets(3)), uint8(Ogg))
	for _, seed := range toolSeeds(f) {
		f.Add(seed.data, uint8(seed.f))
	}
	f.Add([]byte("fLaC\x00\x00\x00\x22"), uint8(FLAC))
	f.Add([]byte("\xFF\xFB\x90\x64\x00\x00\x00\x00"), uint8(MP3))
	f.Fuzz(func(t *testing.T, data []byte, format uint8) {
		o := Options{Rate: 16000, MaxDuration: 20 * time.Second, NewOpusDecoder: newFake(new(int))}
		a, err := Decode(data, Format(format%uint8(ASF+1)), o)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrUnsupported) && !errors.Is(err, ErrTooLong) {
				t.Fatalf("undocumented error %v", err)
			}
			return
		}
		if a.SampleRate != 16000 || len(a.Channels) == 0 || a.Frames() > 20*16000+1000 {
			t.Fatalf("audio of %d channels, %d frames at %d Hz", len(a.Channels), a.Frames(), a.SampleRate)
		}
		for _, ch := range a.Channels {
			if len(ch) != a.Frames() {
				t.Fatal("channels of different lengths")
			}
		}
	})
}

type seed struct {
	data []byte
	f    Format
}

// toolSeeds are short MP3 and FLAC files, when lame and flac are here.
func toolSeeds(f *testing.F) []seed {
	f.Helper()
	dir := f.TempDir()
	var b bytes.Buffer
	if err := codec.WriteWAV(&b, &codec.Audio{SampleRate: 8000, Channels: [][]float32{tone(8000, 1).Channels[0][:2000]}}, codec.FormatPCM16); err != nil {
		f.Fatal(err)
	}
	in := filepath.Join(dir, "in.wav")
	if err := os.WriteFile(in, b.Bytes(), 0o644); err != nil {
		f.Fatal(err)
	}
	var out []seed
	for _, c := range []struct {
		f    Format
		args []string
	}{{MP3, []string{"lame", "--quiet", "-b", "8", in, in + ".mp3"}}, {FLAC, []string{"flac", "--silent", "-o", in + ".flac", in}}} {
		if err := exec.Command(c.args[0], c.args[1:]...).Run(); err != nil {
			continue
		}
		if data, err := os.ReadFile(c.args[len(c.args)-1]); err == nil {
			out = append(out, seed{data, c.f})
		}
	}
	return out
}
