package wire

import (
	"bytes"
	"encoding/base64"
	"errors"
	"testing"
)

func TestAppendPayload(t *testing.T) {
	for _, size := range []int{0, 1, 2, 3, 160, 161} {
		audio := make([]byte, size)
		for i := range audio {
			audio[i] = byte(i * 7)
		}
		media := Media{Payload: []byte(base64.StdEncoding.EncodeToString(audio))}
		if err := checkBase64(media.Payload); err != nil {
			t.Fatalf("size %d: %v", size, err)
		}
		prefix := []byte("keep")
		got, err := media.AppendPayload(prefix)
		if err != nil {
			t.Fatalf("size %d: %v", size, err)
		}
		if !bytes.Equal(got, append([]byte("keep"), audio...)) {
			t.Errorf("size %d: appended %v", size, got)
		}
		if media.PayloadLen() != size {
			t.Errorf("size %d: PayloadLen = %d", size, media.PayloadLen())
		}
	}
}

func TestAppendPayloadRejectsUncheckedText(t *testing.T) {
	// A Media built by hand skips the parser's check; decoding still
	// reports the fault.
	if _, err := (Media{Payload: []byte("AB*D")}).AppendPayload(nil); !errors.Is(err, ErrBadPayload) {
		t.Errorf("err = %v, want ErrBadPayload", err)
	}
}

func TestAppendPayloadReusesBuffer(t *testing.T) {
	media, err := ParseMessage(readFixture(t, "media_inbound.json"))
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 0, 160)
	allocs := testing.AllocsPerRun(100, func() {
		buf, err = media.Media.AppendPayload(buf[:0])
	})
	if err != nil || allocs != 0 {
		t.Errorf("decoding into a big enough buffer: %v allocations, err %v", allocs, err)
	}
}
