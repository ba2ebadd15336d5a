package twilio

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge/clock/clocktest"
	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/bridge/twilio/twiliotest"
	"github.com/callscribe/callscribe/bridge/twilio/wire"
)

// serve runs a Server on a loopback port and returns its ws:// URL.
func serve(t *testing.T, cfg Config, calls *fakeCalls) string {
	t.Helper()
	cfg.Logger = slog.New(slog.DiscardHandler)
	srv, err := NewServer(cfg, calls, calls, nil)
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
	return "ws" + strings.TrimPrefix(hs.URL, "http")
}

func dial(t *testing.T, url string, info twiliotest.StreamInfo) *twiliotest.Client {
	t.Helper()
	c, err := twiliotest.Dial(context.Background(), url, info)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// closeOf reads until the server's close frame.
func closeOf(t *testing.T, c *twiliotest.Client) *websocket.CloseError {
	t.Helper()
	_ = c.Conn().SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		if _, _, err := c.Conn().ReadMessage(); err != nil {
			var ce *websocket.CloseError
			if !errors.As(err, &ce) {
				t.Fatalf("%v, want a close frame", err)
			}
			return ce
		}
	}
}

// Each fault of a stream ends it with its own close code and reason; a
// stop ends it with 1000. The clock stands still, so a flood is caught
// however fast the machine is.
func TestSessionClosesWithTheCodeForTheFault(t *testing.T) {
	info := twiliotest.StreamInfo{CallSID: "CA1", StreamSID: "MZ1"}
	l16 := info
	l16.MediaFormat = wire.MediaFormat{Encoding: "audio/l16", SampleRate: 8000, Channels: 1}
	for _, tc := range []struct {
		name   string
		info   twiliotest.StreamInfo
		play   func(c *twiliotest.Client) error
		code   int
		reason string
	}{
		{"stop", info, func(c *twiliotest.Client) error {
			if err := c.Begin(); err != nil {
				return err
			}
			return c.SendStop()
		}, CloseStreamStopped, ReasonStreamStopped},
		{"media before start", info, func(c *twiliotest.Client) error {
			return c.SendMedia(wire.TrackInbound, make([]byte, 160))
		}, CloseOutOfOrder, ReasonMediaBeforeStart},
		{"second start", info, func(c *twiliotest.Client) error {
			if err := c.Begin(); err != nil {
				return err
			}
			return c.Begin()
		}, CloseOutOfOrder, ReasonDuplicateStart},
		{"unsupported format", l16, (*twiliotest.Client).Begin, CloseUnsupportedFormat, ReasonUnsupportedFormat},
		{"binary frames", info, func(c *twiliotest.Client) error {
			for range 51 {
				if err := c.Conn().WriteMessage(websocket.BinaryMessage, []byte{0xff}); err != nil {
					return err
				}
			}
			return nil
		}, CloseUnsupportedFormat, ReasonBinaryFrame},
		{"flood", info, func(c *twiliotest.Client) error {
			if err := c.Begin(); err != nil {
				return err
			}
			return c.Play(context.Background(), twiliotest.PlayOptions{Speed: 1000},
				twiliotest.TrackAudio{Track: wire.TrackInbound, Audio: make([]byte, 8000*10)})
		}, CloseTooFast, ReasonTooFast},
	} {
		t.Run(tc.name, func(t *testing.T) {
			calls := newFakeCalls()
			c := dial(t, serve(t, Config{Clock: clocktest.NewManual()}, calls), tc.info)
			_ = tc.play(c) // the server may close mid-way; the close frame is what counts
			if ce := closeOf(t, c); ce.Code != tc.code || ce.Text != tc.reason {
				t.Errorf("closed %d %q, want %d %q", ce.Code, ce.Text, tc.code, tc.reason)
			}
		})
	}
}

// 51 unparsable messages: the first 50 are ignored, the last closes the
// stream with 1007 and the parse error as the reason.
func TestSessionClosesAfterTooManyBadMessages(t *testing.T) {
	calls := newFakeCalls()
	c := dial(t, serve(t, Config{}, calls), twiliotest.StreamInfo{CallSID: "CA1", StreamSID: "MZ1"})
	for range 51 {
		if err := c.SendRaw([]byte(`{"event": "media", "media": {"payload": "!!"`)); err != nil {
			t.Fatal(err)
		}
	}
	if ce := closeOf(t, c); ce.Code != CloseInvalidMessage || !strings.Contains(ce.Text, "malformed JSON") {
		t.Errorf("closed %d %q", ce.Code, ce.Text)
	}
}

// DTMF becomes an event of the call; transcripts=false leaves the socket
// without the call's events; stop ends the stream with reason "stop".
func TestSessionEmitsDTMFAndHonoursParameters(t *testing.T) {
	calls := newFakeCalls()
	c := dial(t, serve(t, Config{}, calls), twiliotest.StreamInfo{CallSID: "CA1", StreamSID: "MZ1",
		CustomParameters: map[string]string{ParamTranscripts: "false"}})
	for _, send := range []func() error{c.Begin, func() error { return c.SendDTMF("#") }, c.SendStop} {
		if err := send(); err != nil {
			t.Fatal(err)
		}
	}
	closeOf(t, c)
	<-calls.ended
	emitted, subscribed, reason := calls.seen()
	if len(emitted) != 1 || emitted[0].Type != event.DTMF || emitted[0].Digit != "#" || emitted[0].Track != "inbound" {
		t.Errorf("emitted %+v, want one DTMF # on inbound", emitted)
	}
	if subscribed || reason != "stop" {
		t.Errorf("subscribed %v with transcripts=false; ended %q", subscribed, reason)
	}
}
