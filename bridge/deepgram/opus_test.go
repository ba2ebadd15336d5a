package deepgram

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	ebmlwebm "github.com/at-wat/ebml-go/webm"
	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge/timeline"
	"github.com/callscribe/callscribe/codec/container"
	"github.com/callscribe/callscribe/codec/ogg"
)

// fakeOpus stands in for libopus: every packet is 20 ms of zeros a
// channel; a packet starting 0xFF is refused.
type fakeOpus struct{ rate, channels int }

func (f fakeOpus) Decode(dst []float32, p []byte) ([]float32, error) {
	if p[0] == 0xFF {
		return dst, errors.New("fake: corrupt packet")
	}
	return append(dst, make([]float32, f.channels*f.rate/50)...), nil
}

func (fakeOpus) Close() error { return nil }

func fakeDecoders(rate, channels int) (container.OpusDecoder, error) {
	if channels > 2 {
		return nil, errors.New("fake: more than two channels")
	}
	return fakeOpus{rate, channels}, nil
}

// head is an Opus identification header with a pre-skip of 10 ms.
func head(channels int) []byte {
	return append([]byte("OpusHead\x01"), byte(channels), 0xE0, 0x01, 0x80, 0xBB, 0, 0, 0, 0, 0)
}

// oggStream is n Opus packets in Ogg, pages of a second.
func oggStream(t *testing.T, channels, n int) []byte {
	t.Helper()
	var b bytes.Buffer
	w := ogg.NewWriter(&b, 9, 4000)
	_ = w.WritePacket(head(channels), 0)
	_ = w.Flush()
	_ = w.WritePacket([]byte("OpusTags\x00\x00\x00\x00\x00\x00\x00\x00"), 0)
	_ = w.Flush()
	for i := range n {
		if err := w.WritePacket(bytes.Repeat([]byte{0xFC}, 80), int64(960*(i+1))); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

type nopCloser struct{ *bytes.Buffer }

func (nopCloser) Close() error { return nil }

// webmStream is n Opus frames in WebM as MediaRecorder writes them.
func webmStream(t *testing.T, codecID string, channels, n int) []byte {
	t.Helper()
	var b bytes.Buffer
	ws, err := ebmlwebm.NewSimpleBlockWriter(nopCloser{&b}, []ebmlwebm.TrackEntry{{Name: "Audio", TrackNumber: 1, TrackUID: 1,
		CodecID: codecID, TrackType: 2, CodecPrivate: head(channels), Audio: &ebmlwebm.Audio{SamplingFrequency: 48000, Channels: uint64(channels)}}})
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if _, err := ws[0].Write(true, int64(20*i), bytes.Repeat([]byte{0xFC}, 80)); err != nil {
			t.Fatal(err)
		}
	}
	_ = ws[0].Close()
	return b.Bytes()
}

// streamLive sends data in pieces of size bytes, then CloseStream, and
// returns the messages and the close.
func streamLive(t *testing.T, url string, data []byte, size int) ([]map[string]any, *websocket.CloseError) {
	t.Helper()
	conn := dial(t, url)
	for len(data) > 0 {
		n := min(size, len(data))
		if err := conn.WriteMessage(websocket.BinaryMessage, data[:n]); err != nil {
			break // the server closed: readAll has its close
		}
		data = data[n:]
	}
	_ = conn.WriteMessage(websocket.TextMessage, []byte(`{"type":"CloseStream"}`))
	return readAll(t, conn)
}

// Ogg/Opus and WebM/Opus without encoding, and encoding=opus with Ogg, in
// pieces of 1 byte, 333 bytes and whole: the stream's 2 s (less the
// header's pre-skip) reach the tracks, a channel each with multichannel.
func TestLiveOpusContainers(t *testing.T) {
	for name, c := range map[string]struct {
		query    string
		data     []byte
		channels int
	}{
		"Ogg":                   {"", oggStream(t, 1, 100), 1},
		"Ogg, encoding=opus":    {"encoding=opus", oggStream(t, 1, 100), 1},
		"Ogg, ogg-opus, stereo": {"encoding=ogg-opus&multichannel=true", oggStream(t, 2, 100), 2},
		"WebM stereo":           {"multichannel=true", webmStream(t, "A_OPUS", 2, 100), 2},
		"WebM stereo mixed":     {"", webmStream(t, "A_OPUS", 2, 100), 1},
	} {
		for _, size := range []int{1, 333, 1 << 20} {
			h := newHub()
			url := serve(t, Config{NewOpusDecoder: fakeDecoders, RateGuard: fastGuard}, h) + "/v1/listen?" + c.query
			msgs, ce := streamLive(t, url, c.data, size)
			if ce.Code != websocket.CloseNormalClosure {
				t.Fatalf("%s in %d: closed %d %q", name, size, ce.Code, ce.Text)
			}
			md := msgs[len(msgs)-1]
			if md["type"] != "Metadata" || md["duration"].(float64) != 1.99 {
				t.Errorf("%s in %d: metadata %v", name, size, md)
			}
			var finals []string
			for _, m := range msgs {
				if m["type"] == "Results" {
					idx := m["channel_index"].([]any)
					finals = append(finals, strings.TrimSpace(m["channel"].(map[string]any)["alternatives"].([]any)[0].(map[string]any)["transcript"].(string))+
						"/"+string(rune('0'+int(idx[1].(float64)))))
				}
			}
			if len(finals) != c.channels || !strings.HasPrefix(finals[0], "heard/") || !strings.HasSuffix(finals[0], string(rune('0'+c.channels))) {
				t.Errorf("%s in %d: finals %v", name, size, finals)
			}
		}
	}
}

// fastGuard lets a test send a stream's audio at once.
var fastGuard = timeline.RateGuardConfig{Burst: time.Hour}

func get(t *testing.T, url string) (int, []byte) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

// Raw Opus packets, a message each, with encoding=opus.
func TestLiveRawOpus(t *testing.T) {
	conn := dial(t, serve(t, Config{NewOpusDecoder: fakeDecoders, RateGuard: fastGuard}, newHub())+"/v1/listen?encoding=opus&sample_rate=48000")
	for range 50 {
		if err := conn.WriteMessage(websocket.BinaryMessage, []byte{0xFC, 1, 2, 3}); err != nil {
			t.Fatal(err)
		}
	}
	_ = conn.WriteMessage(websocket.TextMessage, []byte(`{"type":"CloseStream"}`))
	msgs, ce := readAll(t, conn)
	if md := msgs[len(msgs)-1]; ce.Code != websocket.CloseNormalClosure || md["duration"].(float64) != 1 {
		t.Errorf("closed %d, metadata %v", ce.Code, md)
	}
}

// What cannot be decoded closes with Deepgram's 1008 DATA-0000, saying
// why.
func TestLiveOpusRefusals(t *testing.T) {
	bad := oggStream(t, 1, 3)
	var tail bytes.Buffer
	w := ogg.NewWriter(&tail, 9, 0)
	_ = w.WritePacket(head(1), 0)
	_ = w.Flush()
	_ = w.WritePacket([]byte("OpusTags\x00\x00\x00\x00\x00\x00\x00\x00"), 0)
	_ = w.WritePacket([]byte{0xFF, 0xFF}, 960)
	_ = w.Close()
	for name, c := range map[string]struct {
		cfg   Config
		query string
		data  []byte
		says  string
	}{
		"no Opus decoder":     {Config{}, "", bad, "no Opus decoder"},
		"WebM Vorbis":         {Config{NewOpusDecoder: fakeDecoders}, "", webmStream(t, "A_VORBIS", 1, 5), "A_VORBIS"},
		"a corrupt packet":    {Config{NewOpusDecoder: fakeDecoders}, "", tail.Bytes(), "corrupt"},
		"a broken page":       {Config{NewOpusDecoder: fakeDecoders}, "", append(bytes.Clone(bad[:60]), bytes.Repeat([]byte{7}, 100)...), "CRC"},
		"MP3 live":            {Config{NewOpusDecoder: fakeDecoders}, "", append([]byte("ID3\x04"), make([]byte, 100)...), "MP3 audio; live streams take"},
		"ogg-opus, not Ogg":   {Config{NewOpusDecoder: fakeDecoders}, "encoding=ogg-opus", []byte{0xFC, 1, 2, 3}, "no Ogg stream"},
		"raw Opus, 3 channel": {Config{NewOpusDecoder: fakeDecoders}, "encoding=opus&channels=3", []byte{0xFC, 1, 2, 3}, "3 channels"},
	} {
		_, ce := streamLive(t, serve(t, c.cfg, newHub())+"/v1/listen?"+c.query, c.data, 1000)
		if ce.Code != websocket.ClosePolicyViolation || !strings.HasPrefix(ce.Text, "DATA-0000") || !strings.Contains(ce.Text, c.says) {
			t.Errorf("%s: closed %d %q", name, ce.Code, ce.Text)
		}
	}
	// encoding=flac is no live encoding; opus needs a decoder: refused
	// before the upgrade.
	for q, cfg := range map[string]Config{"encoding=flac": {NewOpusDecoder: fakeDecoders}, "encoding=opus": {}} {
		code, body := get(t, serve(t, cfg, newHub())+"/v1/listen?"+q)
		if code != 400 || !strings.Contains(string(body), "UNSUPPORTED_AUDIO") {
			t.Errorf("%s: %d %s", q, code, body)
		}
	}
}

// Files in Ogg and WebM decode through the Opus decoder, a channel each
// with multichannel; a compressed file decoding to more than
// MaxFileDuration is refused with 413; other formats get 415 naming what
// is taken.
func TestFileOpus(t *testing.T) {
	url := serve(t, Config{NewOpusDecoder: fakeDecoders, MaxFileDuration: 3 * time.Second}, newHub()) + "/v1/listen"
	for name, c := range map[string]struct {
		query string
		body  []byte
		want  []string
	}{
		"Ogg":                 {"", oggStream(t, 1, 100), []string{"said seconds"}},
		"WebM, encoding=opus": {"?encoding=opus&punctuate=true", webmStream(t, "A_OPUS", 1, 100), []string{"Said 2.0 seconds."}},
		"WebM stereo apart":   {"?multichannel=true", webmStream(t, "A_OPUS", 2, 100), []string{"said seconds", "said seconds"}},
	} {
		code, body := post(t, url+c.query, "application/octet-stream", c.body)
		var r Response
		if err := json.Unmarshal(body, &r); code != 200 || err != nil || len(r.Results.Channels) != len(c.want) || r.Metadata.Duration != 1.99 {
			t.Fatalf("%s: %d %s", name, code, body)
		}
		for i, want := range c.want {
			if got := r.Results.Channels[i].Alternatives[0].Transcript; got != want {
				t.Errorf("%s: channel %d %q, want %q", name, i, got, want)
			}
		}
	}
	code, body := post(t, url, "audio/ogg", oggStream(t, 1, 200))
	if code != 413 || !strings.Contains(string(body), "PAYLOAD_TOO_LARGE") {
		t.Errorf("4 s with a 3 s bound: %d %s", code, body)
	}
	code, body = post(t, url, "audio/mp4", []byte("\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00"))
	if code != 415 || !strings.Contains(string(body), "MP4/M4A audio") || !strings.Contains(string(body), "MP3 and FLAC") {
		t.Errorf("an M4A: %d %s", code, body)
	}
}
