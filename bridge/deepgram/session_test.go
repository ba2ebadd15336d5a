package deepgram

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge/clock/clocktest"
	"github.com/callscribe/callscribe/codec"
)

var testModel = Model{Name: "whisper-test", Version: "1"}

func serve(t *testing.T, cfg Config, h *hub) string {
	t.Helper()
	cfg.Logger = slog.New(slog.DiscardHandler)
	if cfg.Model.Name == "" {
		cfg.Model = testModel
	}
	srv, err := NewServer(cfg, h, h, files{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewUnstartedServer(srv)
	hs.Listener.Close()
	hs.Listener = ln
	hs.Start()
	t.Cleanup(hs.Close)
	return hs.URL
}

func dial(t *testing.T, url string) *websocket.Conn {
	t.Helper()
	conn, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(url, "http"), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	t.Cleanup(func() { conn.Close() })
	return conn
}

// readAll returns the text messages until the close, and the close.
func readAll(t *testing.T, conn *websocket.Conn) ([]map[string]any, *websocket.CloseError) {
	t.Helper()
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	var msgs []map[string]any
	for {
		_, data, err := conn.ReadMessage()
		var ce *websocket.CloseError
		if errors.As(err, &ce) {
			return msgs, ce
		}
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatal(err)
		}
		msgs = append(msgs, m)
	}
}

func types(msgs []map[string]any) []string {
	var out []string
	for _, m := range msgs {
		out = append(out, m["type"].(string))
	}
	return out
}

// A stereo WAV streamed with multichannel, the header split across
// messages: each channel reaches its track; Finalize is answered per
// channel with from_finalize; a bad text message gets an Error and the
// stream goes on; CloseStream brings Metadata last, then 1000.
func TestLiveWAVStream(t *testing.T) {
	h := newHub()
	conn := dial(t, serve(t, Config{}, h)+"/v1/listen?multichannel=true&model=nova-3")
	var wav bytes.Buffer
	half := make([]float32, 8000)
	if err := codec.WriteWAV(&wav, &codec.Audio{SampleRate: 16000, Channels: [][]float32{half, half}}, codec.FormatPCM16); err != nil {
		t.Fatal(err)
	}
	b := wav.Bytes()
	for _, part := range [][]byte{b[:10], b[10:50], b[50:1001], b[1001:]} {
		if err := conn.WriteMessage(websocket.BinaryMessage, part); err != nil {
			t.Fatal(err)
		}
	}
	for _, msg := range []string{`{"type":"Finalize","channel":1}`, `{"type":"Rewind"}`, `{"type":"KeepAlive"}`, `{"type":"Finalize"}`, `{"type":"CloseStream"}`} {
		if err := conn.WriteMessage(websocket.TextMessage, []byte(msg)); err != nil {
			t.Fatal(err)
		}
	}
	msgs, ce := readAll(t, conn)
	if ce.Code != websocket.CloseNormalClosure {
		t.Errorf("closed %d %q", ce.Code, ce.Text)
	}
	// Channel 1's Finalize, then both channels': channel 0's final, and
	// an empty one for channel 1, which had no audio since.
	got := types(msgs)
	if len(got) != 5 || got[0] != "Results" || got[4] != "Metadata" || strings.Count(strings.Join(got, " "), "Results") != 3 {
		t.Fatalf("messages %q", got)
	}
	var heard []string
	for _, r := range msgs[:4] {
		if r["type"] != "Results" {
			continue
		}
		idx := r["channel_index"].([]any)
		alt := r["channel"].(map[string]any)["alternatives"].([]any)[0].(map[string]any)
		heard = append(heard, fmt.Sprintf("ch%v:%v", idx[0], alt["transcript"]))
		if idx[1].(float64) != 2 || r["from_finalize"] != true || r["speech_final"] != false || r["is_final"] != true {
			t.Errorf("result %v", r)
		}
	}
	if strings.Join(heard, " ") != "ch1:heard ch0:heard ch1:" {
		t.Errorf("results %q", heard)
	}
	if md := msgs[4]; md["channels"].(float64) != 2 || md["duration"].(float64) != 0.5 || len(md["sha256"].(string)) != 64 {
		t.Errorf("metadata %v", md)
	}
	<-h.ended
	if h.endReason != "closed" {
		t.Errorf("ended %q", h.endReason)
	}
}

// Audio that is no WAV without encoding, and an Ogg stream, close with
// Deepgram's 1008 DATA-0000.
func TestLiveRefusesUndecodableAudio(t *testing.T) {
	for name, data := range map[string][]byte{"raw": bytes.Repeat([]byte{1, 2, 3, 4}, 100), "ogg": append([]byte("OggS"), make([]byte, 60)...)} {
		conn := dial(t, serve(t, Config{}, newHub())+"/v1/listen")
		if err := conn.WriteMessage(websocket.BinaryMessage, data); err != nil {
			t.Fatal(err)
		}
		if _, ce := readAll(t, conn); ce.Code != websocket.ClosePolicyViolation || !strings.HasPrefix(ce.Text, "DATA-0000") {
			t.Errorf("%s: closed %d %q", name, ce.Code, ce.Text)
		}
	}
}

// No audio for MediaTimeout: Deepgram's 1011 NET-0001.
func TestLiveNoAudioTimeout(t *testing.T) {
	clk := clocktest.NewManual()
	conn := dial(t, serve(t, Config{Clock: clk, MediaTimeout: 10 * time.Second, PingInterval: time.Hour, IdleTimeout: 2 * time.Hour},
		newHub())+"/v1/listen?encoding=mulaw&sample_rate=8000")
	for clk.Pending() < 2 {
		time.Sleep(time.Millisecond)
	}
	clk.Advance(11 * time.Second)
	if _, ce := readAll(t, conn); ce.Code != websocket.CloseInternalServerErr || ce.Text != ReasonNoAudio {
		t.Errorf("closed %d %q", ce.Code, ce.Text)
	}
}

// A bad query is refused before the upgrade, in Deepgram's error shape.
func TestLiveRefusesABadQuery(t *testing.T) {
	url := serve(t, Config{}, newHub())
	for q, code := range map[string]string{"encoding=opus&sample_rate=48000": "UNSUPPORTED_AUDIO", "channels=0": "INVALID_QUERY_PARAMETER"} {
		resp, err := http.Get(url + "/v1/listen?" + q)
		if err != nil {
			t.Fatal(err)
		}
		var e APIError
		_ = json.NewDecoder(resp.Body).Decode(&e)
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest || e.ErrCode != code || e.ErrMsg == "" {
			t.Errorf("%s: %d %+v", q, resp.StatusCode, e)
		}
	}
}
