package twilio

import (
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/bridge/twilio/twiliotest"
)

// readAll reads what the server sends until its close frame.
func readAll(t *testing.T, c *twiliotest.Client) ([]string, *websocket.CloseError) {
	t.Helper()
	_ = c.Conn().SetReadDeadline(time.Now().Add(10 * time.Second))
	var got []string
	for {
		_, data, err := c.Conn().ReadMessage()
		if err != nil {
			var ce *websocket.CloseError
			if !errors.As(err, &ce) {
				t.Fatalf("after %q: %v, want a close frame", got, err)
			}
			return got, ce
		}
		got = append(got, string(data))
	}
}

// TestTranscriptsOnTheSocketAreOptIn: Twilio refuses any message but
// media, mark and clear on its own socket, so a stream gets the call's
// events back only when it asks with transcripts=true.
func TestTranscriptsOnTheSocketAreOptIn(t *testing.T) {
	for _, c := range []struct {
		params map[string]string
		want   int
	}{{nil, 0}, {map[string]string{ParamTranscripts: "false"}, 0}, {map[string]string{ParamTranscripts: "true"}, 1}} {
		calls := newFakeCalls()
		calls.back = make(chan event.Event, 1)
		calls.back <- event.Event{Type: event.Transcript, CallID: "call_test", Seq: 2, IsFinal: true, Text: "hello"}
		client := dial(t, serve(t, Config{}, calls), twiliotest.StreamInfo{CallSID: "CA1", StreamSID: "MZ1", CustomParameters: c.params})
		if err := client.Begin(); err != nil {
			t.Fatal(err)
		}
		// The event is in the subscription before stop: an opted-in
		// stream sends it before its close frame.
		time.Sleep(50 * time.Millisecond)
		if err := client.SendStop(); err != nil {
			t.Fatal(err)
		}
		got, ce := readAll(t, client)
		_, subscribed, _ := calls.seen()
		if len(got) != c.want || subscribed != (c.want == 1) || ce.Code != CloseStreamStopped {
			t.Errorf("params %v: got %q (subscribed %v), close %d; want %d messages", c.params, got, subscribed, ce.Code, c.want)
		}
		if c.want == 1 && !strings.Contains(got[0], `"text":"hello"`) {
			t.Errorf("event %q", got[0])
		}
	}
}

// TestAuthorizeRunsOnStartBeforeAnyAudio: a stream Authorize refuses is
// closed with 1008 before the hub hears of it; an accepted one keeps its
// token out of the call's parameters and gives its grant back at the end.
func TestAuthorizeRunsOnStartBeforeAnyAudio(t *testing.T) {
	var released atomic.Int32
	cfg := Config{Authorize: func(r *http.Request, params map[string]string) (func(), error) {
		if r == nil || r.URL.Path != "/" {
			return nil, errors.New("no upgrade request")
		}
		if params[ParamToken] != "good" {
			return nil, errors.New("bad token")
		}
		return func() { released.Add(1) }, nil
	}}
	calls := newFakeCalls()
	url := serve(t, cfg, calls)

	bad := dial(t, url, twiliotest.StreamInfo{CallSID: "CA1", StreamSID: "MZ1", CustomParameters: map[string]string{ParamToken: "bad"}})
	if err := bad.Begin(); err != nil {
		t.Fatal(err)
	}
	_ = bad.SendMedia("inbound", make([]byte, 160)) // may fail: the server is closing
	if _, ce := readAll(t, bad); ce.Code != CloseUnauthorized || ce.Text != ReasonUnauthorized {
		t.Errorf("refused stream closed %d %q", ce.Code, ce.Text)
	}
	calls.mu.Lock()
	started := len(calls.started)
	calls.mu.Unlock()
	if started != 0 || calls.audio.Load() != 0 {
		t.Fatalf("a refused stream reached the hub (%d starts) or the pipeline (%d samples)", started, calls.audio.Load())
	}

	good := dial(t, url, twiliotest.StreamInfo{CallSID: "CA2", StreamSID: "MZ2",
		CustomParameters: map[string]string{ParamToken: "good", ParamLanguage: "en"}})
	for _, send := range []func() error{good.Begin, func() error { return good.SendMedia("inbound", make([]byte, 160)) }, good.SendStop} {
		if err := send(); err != nil {
			t.Fatal(err)
		}
	}
	readAll(t, good)
	<-calls.ended
	calls.mu.Lock()
	params := calls.started[0].CustomParameters
	calls.mu.Unlock()
	if _, kept := params[ParamToken]; kept || params[ParamLanguage] != "en" {
		t.Errorf("call parameters %v: want language kept, token left out", params)
	}
	if released.Load() != 1 {
		t.Errorf("released %d times, want once", released.Load())
	}
}
