package codec

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// FuzzReadWAV feeds arbitrary bytes to ReadWAV. It must never panic or
// hang; every failure must be one of the documented sentinels; and what it
// accepts must be consistent audio that survives a float32 round trip.
// The corpus it has grown lives in testdata/fuzz/FuzzReadWAV.
func FuzzReadWAV(f *testing.F) {
	for _, format := range writeFormats {
		for _, channels := range []int{1, 2} {
			var buf bytes.Buffer
			if err := WriteWAV(&buf, randomAudio(8000, channels, 5), format); err != nil {
				f.Fatal(err)
			}
			f.Add(buf.Bytes())
		}
	}
	pcm8 := fmtBody(tagPCM, 1, 8000, 1, 8)
	f.Add(buildWAV(ck("data", []byte{1, 2, 3}), ck("LIST", []byte("x")), ck("fmt ", pcm8)))
	f.Add(buildWAV(ck("fmt ", extensibleBody(tagPCM, 2, 48000, 32, 24)), ck("data", make([]byte, 16))))
	f.Add(buildWAV(ck("fmt ", extensibleBody(tagFloat, 1, 16000, 64, 64)), ck("data", make([]byte, 16))))
	f.Add(buildWAV(ck("fmt ", fmtBody(tagPCM, 3, 44100, 9, 24)), chunk{"data", make([]byte, 18), unknownSize}))
	f.Add([]byte("RIFF\x00\x00\x00\x00WAVE"))

	sentinels := []error{ErrNotWAV, ErrTruncated, ErrMalformed, ErrUnsupportedFormat}
	f.Fuzz(func(t *testing.T, file []byte) {
		a, err := ReadWAV(bytes.NewReader(file))
		if err != nil {
			if a != nil {
				t.Fatalf("returned audio with error %v", err)
			}
			if !strings.HasPrefix(err.Error(), "wav: ") || !isOneOf(err, sentinels) {
				t.Fatalf("error %q is not a documented sentinel with context", err)
			}
			return
		}
		if err := a.validate(); err != nil {
			t.Fatalf("accepted inconsistent audio: %v", err)
		}
		if a.Frames()*len(a.Channels) > len(file) {
			t.Fatalf("%d channels of %d samples from %d bytes", len(a.Channels), a.Frames(), len(file))
		}
		var out bytes.Buffer
		if err := WriteWAV(&out, a, FormatFloat32); errors.Is(err, ErrTooLarge) {
			return // many channels at a high rate: the float32 byte rate overflows
		} else if err != nil {
			t.Fatalf("cannot write back what was read: %v", err)
		}
		b, err := ReadWAV(&out)
		if err != nil {
			t.Fatalf("cannot read back float32 copy: %v", err)
		}
		if b.SampleRate != a.SampleRate || !equalChannels(a.Channels, b.Channels) {
			t.Fatal("float32 copy differs from what was read")
		}
	})
}

func isOneOf(err error, targets []error) bool {
	for _, target := range targets {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}
