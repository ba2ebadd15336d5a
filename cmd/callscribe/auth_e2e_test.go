package main

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/bridge/twilio"
	"github.com/callscribe/callscribe/bridge/twilio/twiliotest"
	"github.com/callscribe/callscribe/bridge/twilio/wire"
)

// TestAuthRefusals runs a secured service (API keys, a Twilio auth token,
// one call per key, two subscribers per call) and checks every refusal:
// the status or close code and the reason, while a call signed as Twilio
// signs goes on undisturbed and gets its finals.
func TestAuthRefusals(t *testing.T) {
	cfg := testServeConfig(t)
	keys := makeKeys(t, cfg, "stream", "read", "admin")
	cfg.TwilioAuthTokens, cfg.MaxCallsPerKey, cfg.MaxSubscribers = twilioToken, 1, 2
	live := serveInProcess(t, cfg)
	base, ws := live.URL, wsURL(live, "")

	// The call that carries on through every refusal below.
	clips := corpus(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	carry, err := twiliotest.Dial(ctx, ws+"/v1/twilio", twiliotest.StreamInfo{AccountSID: "AC1", CallSID: "CA-carry", StreamSID: "MZ-carry",
		AuthToken: twilioToken, CustomParameters: map[string]string{twilio.ParamTranscripts: "true"}})
	if err != nil {
		t.Fatalf("a signed stream: %v", err)
	}
	back := readBack(carry.Conn())
	if err := carry.Begin(); err != nil {
		t.Fatal(err)
	}
	played := make(chan error, 1)
	go func() {
		audio := append(clips["jfk"].Samples(), make([]float32, 16000)...)
		played <- carry.Play(ctx, twiliotest.PlayOptions{}, twiliotest.TrackAudio{Track: wire.TrackInbound, Audio: telephone(t, audio)})
	}()

	bearer := func(scope string) string { return "Bearer " + keys[scope] }
	for _, c := range []struct {
		name, method, path, authorization string
		status                            int
	}{
		{"no credential", http.MethodGet, "/v1/calls", "", 401},
		{"a key that is no key", http.MethodGet, "/v1/calls", "Bearer cs_notakey_x", 401},
		{"a stream key reading calls", http.MethodGet, "/v1/calls", bearer("stream"), 403},
		{"a read key, as Deepgram clients send it", http.MethodGet, "/v1/calls", "Token " + keys["read"], 200},
		{"a read key in the query", http.MethodGet, "/v1/calls?token=" + keys["read"], "", 200},
		{"a read key adding a webhook", http.MethodPost, "/v1/webhooks/endpoints", bearer("read"), 403},
		{"a read key listing keys", http.MethodGet, "/v1/keys", bearer("read"), 403},
		{"an admin key listing keys", http.MethodGet, "/v1/keys", bearer("admin"), 200},
		{"an upload without credential", http.MethodPost, "/v1/transcribe", "", 401},
		{"health checks stay open", http.MethodGet, "/healthz", "", 200},
	} {
		status, body, header := request(t, c.method, base+c.path, c.authorization)
		if status != c.status {
			t.Errorf("%s: %d %s, want %d", c.name, status, body, c.status)
			continue
		}
		if status == 401 || status == 403 {
			var reason struct{ Error string }
			if json.Unmarshal([]byte(body), &reason) != nil || reason.Error == "" {
				t.Errorf("%s: refusal without a JSON reason: %q", c.name, body)
			}
			if status == 401 && !strings.HasPrefix(header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("%s: 401 without a WWW-Authenticate challenge", c.name)
			}
		}
	}

	// WebSockets are refused before the upgrade.
	if status, body, _ := dialStatus(t, ws+"/v1/listen", nil); status != 401 {
		t.Errorf("listen without credential: %d %s", status, body)
	}
	if status, body, _ := dialStatus(t, ws+"/v1/listen", http.Header{"Authorization": {bearer("read")}}); status != 403 {
		t.Errorf("listen with a read key: %d %s", status, body)
	}
	_, err = twiliotest.Dial(ctx, ws+"/v1/twilio", twiliotest.StreamInfo{CallSID: "CA-forged", StreamSID: "MZ-forged", AuthToken: "not-the-token"})
	if handshakeStatus(err) != 401 || !strings.Contains(err.Error(), "Twilio signature") {
		t.Errorf("a forged Twilio signature: %v", err)
	}

	// A stream with no signature may still bring a key in its parameters;
	// without one it is closed on start, before any audio is used.
	anon, err := twiliotest.Dial(ctx, ws+"/v1/twilio", twiliotest.StreamInfo{CallSID: "CA-anon", StreamSID: "MZ-anon"})
	if err != nil {
		t.Fatal(err)
	}
	_ = anon.Begin()
	if ce, _ := closeFrame(t, anon.Conn(), 10*time.Second); ce.Code != twilio.CloseUnauthorized || ce.Text != twilio.ReasonUnauthorized {
		t.Errorf("an unsigned stream without a key: %d %q", ce.Code, ce.Text)
	}

	// One call per key: while a listen stream holds the stream key's
	// slot, a second listen stream is refused with 429 before its upgrade,
	// and a Twilio stream with the key as its token is closed on start.
	status, _, held := dialStatus(t, ws+"/v1/listen?encoding=linear16&sample_rate=16000", http.Header{"Authorization": {bearer("stream")}})
	if status != 101 {
		t.Fatalf("listen with the stream key: %d", status)
	}
	if status, body, _ := dialStatus(t, ws+"/v1/listen?encoding=linear16&sample_rate=16000", http.Header{"Authorization": {bearer("stream")}}); status != 429 || !strings.Contains(body, "concurrent calls") {
		t.Errorf("a second call of the key: %d %s", status, body)
	}
	keyed, err := twiliotest.Dial(ctx, ws+"/v1/twilio", twiliotest.StreamInfo{CallSID: "CA-keyed", StreamSID: "MZ-keyed",
		CustomParameters: map[string]string{twilio.ParamToken: keys["stream"]}})
	if err != nil {
		t.Fatal(err)
	}
	_ = keyed.Begin()
	if ce, _ := closeFrame(t, keyed.Conn(), 10*time.Second); ce.Code != twilio.CloseUnauthorized {
		t.Errorf("a Twilio stream over the key's limit: %d %q", ce.Code, ce.Text)
	}
	streamKeyID := strings.Split(keys["stream"], "_")[1] // cs_<id>_<secret>
	if n := live.svc.slots.InUse(streamKeyID); n != 1 {
		t.Errorf("the stream key holds %d calls, want the held one", n)
	}
	_ = held.WriteMessage(websocket.TextMessage, []byte(`{"type":"CloseStream"}`))
	closeFrame(t, held, 30*time.Second)
	// The close frame leaves before the handler returns and frees the
	// slot: wait for that, as a client retrying after a 429 would.
	for deadline := time.Now().Add(10 * time.Second); live.svc.slots.InUse(streamKeyID) > 0 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	// With the slot free, the key in the stream's parameters is accepted,
	// and the stream gets nothing back but its close: no opt-in.
	keyed, err = twiliotest.Dial(ctx, ws+"/v1/twilio", twiliotest.StreamInfo{CallSID: "CA-keyed2", StreamSID: "MZ-keyed2",
		CustomParameters: map[string]string{twilio.ParamToken: keys["stream"]}})
	if err != nil {
		t.Fatal(err)
	}
	for _, send := range []func() error{keyed.Begin, func() error { return keyed.SendMedia(wire.TrackInbound, make([]byte, 800)) }, keyed.SendStop} {
		if err := send(); err != nil {
			t.Fatal(err)
		}
	}
	if ce, texts := closeFrame(t, keyed.Conn(), 30*time.Second); ce.Code != twilio.CloseStreamStopped || len(texts) != 0 {
		t.Errorf("a Twilio stream with a key as its token: %d %q after %q", ce.Code, ce.Text, texts)
	}

	// Two subscribers per call: the carried call's own back-channel and
	// one more; the next is refused with 429.
	callID := ""
	for _, c := range live.svc.hub.Calls() {
		if c.Key == "CA-carry" {
			callID = c.CallID
		}
	}
	events := ws + "/v1/calls/" + callID + "/events?token=" + keys["read"]
	if status, _, _ := dialStatus(t, events, nil); status != 101 {
		t.Fatalf("first subscriber: %d", status)
	}
	if status, body, _ := dialStatus(t, events, nil); status != 429 || !strings.Contains(body, "subscribers") {
		t.Errorf("a third subscriber: %d %s", status, body)
	}

	// An address that keeps presenting bad keys is refused for a while,
	// good key or not.
	for range 10 {
		request(t, http.MethodGet, base+"/v1/calls", "Bearer cs_guess_x")
	}
	if status, _, header := request(t, http.MethodGet, base+"/v1/calls", bearer("read")); status != 429 || header.Get("Retry-After") == "" {
		t.Errorf("after 10 bad keys: %d, Retry-After %q", status, header.Get("Retry-After"))
	}

	// Every refusal was counted, by reason.
	refused := scrapeHandler(t, live.svc.metrics.Handler()).byLabel("callscribe_refusals_total", "reason")
	for _, reason := range []string{"auth_missing", "auth_bad", "auth_scope", "limit_calls_per_key", "limit_subscribers", "rate_limited"} {
		if refused[reason] == 0 {
			t.Errorf("no %s refusal counted: %v", reason, refused)
		}
	}

	// The carried call went on: its finals arrived on its own socket.
	if err := <-played; err != nil {
		t.Fatal(err)
	}
	if err := carry.SendStop(); err != nil {
		t.Fatal(err)
	}
	finals := 0
	for _, e := range <-back {
		if e.Type == event.Transcript && e.IsFinal && e.Text != "" {
			finals++
		}
	}
	if finals == 0 {
		t.Error("the signed call got no final while the others were refused")
	}
}
