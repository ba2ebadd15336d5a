package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	ebmlwebm "github.com/at-wat/ebml-go/webm"
	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge/deepgram"
	"github.com/callscribe/callscribe/codec"
	"github.com/callscribe/callscribe/codec/ogg"
	"github.com/callscribe/callscribe/codec/opus"
	"github.com/callscribe/callscribe/transcribe/wer"
)

// opusPreSkip is libopus's encoder delay at 48 kHz (6.5 ms), which a
// stream's header tells the decoder to drop.
const opusPreSkip = 312

// browserOpus encodes 16 kHz tracks (one, or two as stereo) as a browser's
// MediaRecorder does: 48 kHz Opus in 20 ms packets.
func browserOpus(tb testing.TB, tracks ...[]float32) [][]byte {
	tb.Helper()
	var wide [][]float32
	for _, tr := range tracks {
		w, err := codec.Resample(tr, 16000, 48000)
		if err != nil {
			tb.Fatal(err)
		}
		wide = append(wide, w)
	}
	enc, err := opus.NewEncoder(opus.EncoderConfig{Channels: len(tracks), Bitrate: 32000 * len(tracks)})
	if err != nil {
		tb.Fatal(err)
	}
	defer enc.Close()
	var ps [][]byte
	pcm := make([]float32, 960*len(tracks))
	for i := 0; i+960 <= len(wide[0]); i += 960 {
		for j := range 960 {
			for c, w := range wide {
				pcm[j*len(tracks)+c] = w[i+j]
			}
		}
		p, err := enc.Encode(nil, pcm)
		if err != nil {
			tb.Fatal(err)
		}
		ps = append(ps, p)
	}
	return ps
}

// opusHead is the identification header of a stream of channels.
func opusHead(channels int) []byte {
	return append([]byte("OpusHead\x01"), byte(channels), opusPreSkip&0xFF, opusPreSkip>>8, 0x80, 0xBB, 0, 0, 0, 0, 0)
}

// oggOpus puts packets into Ogg as opusenc does: header pages, then pages
// of about a second, packets spanning pages where they fall.
func oggOpus(tb testing.TB, channels int, packets [][]byte) []byte {
	tb.Helper()
	var b bytes.Buffer
	w := ogg.NewWriter(&b, 0x5EED, 4000)
	check := func(err error) {
		if err != nil {
			tb.Fatal(err)
		}
	}
	check(w.WritePacket(opusHead(channels), 0))
	check(w.Flush())
	check(w.WritePacket([]byte("OpusTags\x09\x00\x00\x00callscribe\x00\x00\x00\x00"), 0))
	check(w.Flush())
	for i, p := range packets {
		check(w.WritePacket(p, int64(960*(i+1)+opusPreSkip)))
	}
	check(w.Close())
	return b.Bytes()
}

type writeCloser struct{ *bytes.Buffer }

func (writeCloser) Close() error { return nil }

// webmOpus puts packets into WebM as MediaRecorder does: unknown-size
// Segment and Clusters, a SimpleBlock a packet (ebml-go's writer, not
// ours).
func webmOpus(tb testing.TB, channels int, packets [][]byte) []byte {
	tb.Helper()
	var b bytes.Buffer
	ws, err := ebmlwebm.NewSimpleBlockWriter(writeCloser{&b}, []ebmlwebm.TrackEntry{{Name: "Audio", TrackNumber: 1, TrackUID: 1,
		CodecID: "A_OPUS", TrackType: 2, CodecPrivate: opusHead(channels), CodecDelay: opusPreSkip * 1e9 / 48000,
		Audio: &ebmlwebm.Audio{SamplingFrequency: 48000, Channels: uint64(channels)}}})
	if err != nil {
		tb.Fatal(err)
	}
	for i, p := range packets {
		if _, err := ws[0].Write(true, int64(20*i), p); err != nil {
			tb.Fatal(err)
		}
	}
	if err := ws[0].Close(); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// encodeWith makes an MP3 (lame) or FLAC (flac) of a WAV with Debian's
// encoders, which make test-packages installs; without them the test skips,
// unless CALLSCRIBE_REQUIRE_AUDIO_TOOLS is set (make test sets it).
func encodeWith(t *testing.T, wav, tool string, args ...string) string {
	t.Helper()
	path, err := exec.LookPath(tool)
	if err != nil {
		if os.Getenv("CALLSCRIBE_REQUIRE_AUDIO_TOOLS") != "" {
			t.Fatalf("%s missing: make test-packages installs it", tool)
		}
		t.Skipf("%s not installed (make test-packages)", tool)
	}
	out := filepath.Join(t.TempDir(), "audio."+map[string]string{"lame": "mp3", "flac": "flac"}[tool])
	args = append(args, wav, out)
	if tool == "flac" {
		args = append(args[:len(args)-2], "-o", out, wav)
	}
	if msg, err := exec.Command(path, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", tool, err, msg)
	}
	return out
}

// streamDeepgram streams data to /v1/listen in pieces of the sizes sizes
// gives in turn, at twice real time (length is the audio's), then sends
// CloseStream and returns the finals' transcripts and the close code.
func streamDeepgram(t *testing.T, url string, data []byte, length time.Duration, sizes []int) ([]string, int) {
	t.Helper()
	conn, resp, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	defer conn.Close()
	var finals []string
	done := make(chan int, 1)
	go func() {
		code := 0
		for {
			_, msg, err := conn.ReadMessage()
			var ce *websocket.CloseError
			if errors.As(err, &ce) {
				code = ce.Code
			}
			if err != nil {
				done <- code
				return
			}
			var r deepgram.Results
			if json.Unmarshal(msg, &r) == nil && r.Type == "Results" && r.IsFinal && r.Channel.Alternatives[0].Transcript != "" {
				finals = append(finals, r.Channel.Alternatives[0].Transcript)
			}
		}
	}()
	start, total := time.Now(), len(data)
	for i := 0; len(data) > 0; i++ {
		n := min(sizes[i%len(sizes)], len(data))
		if err := conn.WriteMessage(websocket.BinaryMessage, data[:n]); err != nil {
			t.Fatal(err)
		}
		data = data[n:]
		// Pace: the bytes sent so far are this much audio.
		due := time.Duration(float64(length) / 2 * float64(total-len(data)) / float64(total))
		if d := time.Until(start.Add(due)); d > 0 {
			time.Sleep(d)
		}
	}
	if err := conn.WriteMessage(websocket.TextMessage, []byte(`{"type":"CloseStream"}`)); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-done:
		return finals, code
	case <-time.After(2 * time.Minute):
		t.Fatal("no close within 2 minutes")
	}
	return nil, 0
}

// TestDeepgramLiveContainerChunks streams real speech as Ogg/Opus and
// WebM/Opus, without encoding, cut into messages of 1 byte, of 333 bytes,
// and of sizes that straddle Ogg pages and WebM clusters (4095, 7, 9000):
// every way of cutting gives the same finals, within the WER bound. The
// same words, that is: Whisper's capitals may differ where a decode's
// prompt (the utterance before) came from a speculative final.
func TestDeepgramLiveContainerChunks(t *testing.T) {
	srv := serveInProcess(t, testServeConfig(t))
	clips := corpus(t)
	said := placeClips(10, map[float64][]float32{0.5: clips["LJ001-0004"].Samples(), 6.5: clips["LJ001-0008"].Samples()})
	ref := clips["LJ001-0004"].Reference + " " + clips["LJ001-0008"].Reference
	packets := browserOpus(t, said)
	streams := map[string][]byte{"Ogg": oggOpus(t, 1, packets), "WebM": webmOpus(t, 1, packets)}
	cuts := map[string][]int{"1 byte": {1}, "333 bytes": {333}, "straddling": {4095, 7, 9000}}
	results := map[string]string{}
	var mu sync.Mutex
	// The six streams at once, as six callers would: the pool schedules.
	t.Run("streams", func(t *testing.T) {
		for container, data := range streams {
			for cut, sizes := range cuts {
				t.Run(container+" in "+cut, func(t *testing.T) {
					t.Parallel()
					finals, code := streamDeepgram(t, wsURL(srv, "/v1/listen?punctuate=true"), data, 10*time.Second, sizes)
					got := strings.Join(finals, " ")
					r := wer.Compute(ref, got)
					t.Logf("%v: %s", r, got)
					if code != websocket.CloseNormalClosure || r.WER > 0.12 {
						t.Errorf("closed %d, WER %.3f > 0.12: %s", code, r.WER, got)
					}
					mu.Lock()
					results[container+" in "+cut] = strings.Join(wer.Normalize(got), " ")
					mu.Unlock()
				})
			}
		}
	})
	var distinct []string
	for _, got := range results {
		if !slices.Contains(distinct, got) {
			distinct = append(distinct, got)
		}
	}
	if len(distinct) != 1 {
		t.Errorf("finals differ with the cutting: %v", results)
	}
}
