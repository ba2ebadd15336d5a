package main

import (
	"encoding/binary"
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/codec"
	"github.com/callscribe/callscribe/transcribe/wer"
)

// TestListenStereoLinear16 streams stereo 16-bit PCM at 44.1 kHz over
// /v1/raw in real time, finalizes, closes, and checks both channels'
// finals and the interim results.
func TestListenStereoLinear16(t *testing.T) {
	srv, _ := startService(t, time.Second)
	clips := corpus(t)
	left := append(make([]float32, 8000), clips["LJ001-0002"].Samples()...)
	right := append(make([]float32, 16000), clips["LJ001-0008"].Samples()...)
	n := max(len(left), len(right))
	left = append(left, make([]float32, n-len(left))...)
	right = append(right, make([]float32, n-len(right))...)
	l44, err := codec.Resample(left, 16000, 44100)
	if err != nil {
		t.Fatal(err)
	}
	r44, err := codec.Resample(right, 16000, 44100)
	if err != nil {
		t.Fatal(err)
	}
	pcm := make([]byte, 0, 4*len(l44))
	for i := range l44 {
		pcm = binary.LittleEndian.AppendUint16(pcm, uint16(int16(math.Round(float64(l44[i])*32767))))
		pcm = binary.LittleEndian.AppendUint16(pcm, uint16(int16(math.Round(float64(r44[i])*32767))))
	}

	conn, resp, err := websocket.DefaultDialer.Dial(wsURL(srv, "/v1/raw?encoding=linear16&sample_rate=44100&channels=2"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	resp.Body.Close()
	back := readBack(conn)
	// 100 ms messages of an odd size: frames split across messages.
	const chunk = 44100/10*4 + 2
	start := time.Now()
	for i, off := 0, 0; off < len(pcm); i, off = i+1, off+chunk {
		if err := conn.WriteMessage(websocket.BinaryMessage, pcm[off:min(off+chunk, len(pcm))]); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Until(start.Add(time.Duration(i+1) * 100 * time.Millisecond)))
	}
	for _, msg := range []string{`{"type":"KeepAlive"}`, `{"type":"Finalize"}`, `{"type":"CloseStream"}`} {
		if err := conn.WriteMessage(websocket.TextMessage, []byte(msg)); err != nil {
			t.Fatal(err)
		}
	}
	evs := <-back
	checkStream(t, evs)
	for ch, ref := range map[string]string{"ch0": clips["LJ001-0002"].Reference, "ch1": clips["LJ001-0008"].Reference} {
		got := joinText(finalsByTrack(evs, ch))
		if r := wer.Compute(ref, got); r.WER > 0.2 {
			t.Errorf("%s: %q vs %q: %v", ch, got, ref, r)
		}
	}
	for _, e := range evs {
		if e.Type == event.Transcript && e.StreamID == "" {
			t.Fatalf("event without stream id: %+v", e)
		}
	}

	// A bad query is refused before any upgrade.
	r, err := http.Get(srv.URL + "/v1/raw?encoding=opus")
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != http.StatusBadRequest {
		t.Errorf("encoding=opus: status %d", r.StatusCode)
	}
}
