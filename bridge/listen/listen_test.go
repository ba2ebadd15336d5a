package listen

import (
	"encoding/binary"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge/clock/clocktest"
)

func serve(t *testing.T, cfg Config, c *calls) string {
	t.Helper()
	cfg.Logger = slog.New(slog.DiscardHandler)
	srv, err := NewServer(cfg, c, c, nil)
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

func closeOf(t *testing.T, conn *websocket.Conn) *websocket.CloseError {
	t.Helper()
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		if _, _, err := conn.ReadMessage(); err != nil {
			var ce *websocket.CloseError
			if !errors.As(err, &ce) {
				t.Fatalf("%v, want a close frame", err)
			}
			return ce
		}
	}
}

func send(t *testing.T, conn *websocket.Conn, kind int, data []byte) {
	t.Helper()
	if err := conn.WriteMessage(kind, data); err != nil {
		t.Fatal(err)
	}
}

// Stereo 16-bit PCM at 8 kHz, in messages that split frames: each channel
// reaches its own track at 16 kHz, contiguous from 0; Finalize reaches
// every track; CloseStream ends the stream with 1000.
func TestListenFeedsEachChannelToItsTrack(t *testing.T) {
	c := newCalls()
	url := serve(t, Config{}, c)
	conn := dial(t, url+"/v1/raw?encoding=linear16&sample_rate=8000&channels=2")
	pcm := make([]byte, 0, 4*4000) // 0.5 s
	for i := range 4000 {
		pcm = binary.LittleEndian.AppendUint16(pcm, uint16(i))
		pcm = binary.LittleEndian.AppendUint16(pcm, uint16(-i))
	}
	for off := 0; off < len(pcm); off += 1001 {
		send(t, conn, websocket.BinaryMessage, pcm[off:min(off+1001, len(pcm))])
	}
	for _, msg := range []string{`{"type":"KeepAlive"}`, `{"type":"Finalize"}`, `{"type":"CloseStream"}`} {
		send(t, conn, websocket.TextMessage, []byte(msg))
	}
	if ce := closeOf(t, conn); ce.Code != websocket.CloseNormalClosure || ce.Text != "stream closed" {
		t.Errorf("closed %d %q", ce.Code, ce.Text)
	}
	<-c.ended
	for _, name := range []string{"ch0", "ch1"} {
		s := c.track(name)
		if s == nil {
			t.Fatalf("no track %s", name)
		}
		s.mu.Lock()
		if s.samples != 8000 || s.gaps != 0 || s.finalized != 1 || !s.closed {
			t.Errorf("%s: %d samples, %d gaps, finalized %d, closed %v", name, s.samples, s.gaps, s.finalized, s.closed)
		}
		s.mu.Unlock()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.endReason != "closed" || c.media != 0.5 {
		t.Errorf("stream ended %q at %v s", c.endReason, c.media)
	}
}

func TestListenClosesOnBadControlMessages(t *testing.T) {
	for msg, reason := range map[string]string{
		`{"type":"Rewind"}`: `unknown control message type "Rewind"`,
		`close please`:      "text messages must be JSON control messages",
	} {
		c := newCalls()
		conn := dial(t, serve(t, Config{}, c)+"/v1/raw")
		send(t, conn, websocket.TextMessage, []byte(msg))
		if ce := closeOf(t, conn); ce.Code != websocket.CloseInvalidFramePayloadData || ce.Text != reason {
			t.Errorf("%s: closed %d %q, want 1007 %q", msg, ce.Code, ce.Text, reason)
		}
		<-c.ended
		if c.endReason != reason {
			t.Errorf("%s: stream ended %q", msg, c.endReason)
		}
	}
}

// With the clock standing still, audio past the rate guard's burst is a
// flood: 1008.
func TestListenClosesAFlood(t *testing.T) {
	c := newCalls()
	conn := dial(t, serve(t, Config{Clock: clocktest.NewManual()}, c)+"/v1/raw?encoding=mulaw&sample_rate=8000")
	second := make([]byte, 8000)
	for range 8 {
		if conn.WriteMessage(websocket.BinaryMessage, second) != nil {
			break // the server may close before the last second
		}
	}
	if ce := closeOf(t, conn); ce.Code != websocket.ClosePolicyViolation || ce.Text != "audio faster than real time" {
		t.Errorf("closed %d %q", ce.Code, ce.Text)
	}
}

func TestListenRefusesABadQueryBeforeUpgrading(t *testing.T) {
	url := serve(t, Config{}, newCalls())
	for _, q := range []string{"encoding=opus", "sample_rate=7", "channels=9", "interim_results=maybe"} {
		resp, err := http.Get(url + "/v1/raw?" + q)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: status %d", q, resp.StatusCode)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	for _, cfg := range []Config{{IdleTimeout: time.Second, PingInterval: time.Minute}, {CloseTimeout: -1}, {MaxFrameBytes: -1}} {
		if _, err := NewServer(cfg, newCalls(), newCalls(), nil); !errors.Is(err, ErrBadConfig) {
			t.Errorf("%+v: %v, want ErrBadConfig", cfg, err)
		}
	}
}
