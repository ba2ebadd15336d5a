package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge/twilio"
	"github.com/callscribe/callscribe/bridge/twilio/twiliotest"
	"github.com/callscribe/callscribe/bridge/twilio/wire"
	"github.com/callscribe/callscribe/bridge/wsconn"
)

// TestCallLimits: a stream past the longest call, and streams that stopped
// sending audio though their connection lives, are closed with 1008 and a
// reason, while a short call beside them ends normally.
func TestCallLimits(t *testing.T) {
	cfg := testServeConfig(t)
	cfg.MaxCallDuration, cfg.MediaTimeout = 4*time.Second, time.Second
	live := serveInProcess(t, cfg)
	ws := wsURL(live, "")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	// Too long: audio in real time, past 4 s.
	long, err := twiliotest.Dial(ctx, ws+"/v1/twilio", twiliotest.StreamInfo{CallSID: "CA-long", StreamSID: "MZ-long",
		CustomParameters: map[string]string{twilio.ParamTranscripts: "true"}})
	if err != nil {
		t.Fatal(err)
	}
	_ = long.Begin()
	go func() {
		_ = long.Play(ctx, twiliotest.PlayOptions{}, twiliotest.TrackAudio{Track: wire.TrackInbound, Audio: telephone(t, corpus(t)["jfk"].Samples())})
	}()

	// Silent: a Twilio stream that started and sends nothing more, and a
	// raw-audio stream that sends nothing at all. Both answer pings.
	quiet, err := twiliotest.Dial(ctx, ws+"/v1/twilio", twiliotest.StreamInfo{CallSID: "CA-quiet", StreamSID: "MZ-quiet"})
	if err != nil {
		t.Fatal(err)
	}
	_ = quiet.Begin()
	_, _, silent := dialStatus(t, ws+"/v1/raw?encoding=linear16&sample_rate=16000", nil)

	// A short call beside them ends as it should.
	short, err := twiliotest.Dial(ctx, ws+"/v1/twilio", twiliotest.StreamInfo{CallSID: "CA-short", StreamSID: "MZ-short"})
	if err != nil {
		t.Fatal(err)
	}
	_ = short.Begin()
	if err := short.Play(ctx, twiliotest.PlayOptions{}, twiliotest.TrackAudio{Track: wire.TrackInbound, Audio: make([]byte, 16000)}); err != nil {
		t.Fatal(err)
	}
	_ = short.SendStop()
	if ce, _ := closeFrame(t, short.Conn(), 30*time.Second); ce.Code != websocket.CloseNormalClosure {
		t.Errorf("the short call: %d %q", ce.Code, ce.Text)
	}

	for name, conn := range map[string]*websocket.Conn{"twilio without media": quiet.Conn(), "raw audio without audio": silent} {
		if ce, _ := closeFrame(t, conn, 30*time.Second); ce.Code != websocket.ClosePolicyViolation || ce.Text != wsconn.ReasonNoMedia {
			t.Errorf("%s: %d %q", name, ce.Code, ce.Text)
		}
	}
	ce, texts := closeFrame(t, long.Conn(), 30*time.Second)
	if ce.Code != websocket.ClosePolicyViolation || ce.Text != wsconn.ReasonTooLong {
		t.Errorf("the long call: %d %q", ce.Code, ce.Text)
	}
	// What was said before the limit is not lost: the utterance in
	// progress became a final on the way out.
	if !strings.Contains(strings.Join(texts, "\n"), `"is_final":true`) {
		t.Errorf("the long call's socket carried no final before its close: %q", texts)
	}
	refused := scrapeHandler(t, live.svc.metrics.Handler()).byLabel("callscribe_refusals_total", "reason")
	if refused["limit_idle"] != 2 || refused["limit_duration"] != 1 {
		t.Errorf("refusals counted %v, want 2 limit_idle and 1 limit_duration", refused)
	}
}

// TestRefusesToListenBeyondLoopbackWithoutCredentials: with no API key and
// no Twilio token, serve refuses a public address in one line, before it
// loads a model.
func TestRefusesToListenBeyondLoopbackWithoutCredentials(t *testing.T) {
	code, _, stderr := runCLI(t, "serve", "--listen", "0.0.0.0:0", "--data-dir", t.TempDir(), "--model", "/nonexistent/model.bin")
	if code != 1 || !strings.Contains(stderr, "refusing to listen beyond loopback without credentials") ||
		!strings.Contains(stderr, "--insecure-no-auth") || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}
