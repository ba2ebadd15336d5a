package main

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge/auth"
	"github.com/callscribe/callscribe/bridge/twilio/twiliotest"
	"github.com/callscribe/callscribe/cmd/callscribe/internal/datastore"
)

// twilioToken is the Twilio account auth token the secured test services
// check signatures with.
const twilioToken = "tok-9f2b6c1d8e7a4b3c"

// makeKeys creates API keys in cfg's data store before the service starts,
// as `callscribe keys create` would, one per named scope list.
func makeKeys(t *testing.T, cfg ServeConfig, scopes ...string) map[string]string {
	t.Helper()
	ctx := context.Background()
	store, err := datastore.Open(ctx, datastore.Config{DataDir: cfg.DataDir, Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	keys := map[string]string{}
	for _, list := range scopes {
		s, err := auth.ParseScopes(list)
		if err != nil {
			t.Fatal(err)
		}
		key, _, err := auth.CreateKey(ctx, store, strings.ReplaceAll(list, ",", "-"), s, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		keys[list] = key
	}
	return keys
}

// request sends method to url with an Authorization header (if not empty)
// and returns the status, the body and the response's headers.
func request(t *testing.T, method, url, authorization string) (int, string, http.Header) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(""))
	if err != nil {
		t.Fatal(err)
	}
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header
}

// dialStatus dials a WebSocket and returns the HTTP status of a refused
// upgrade (101 and the connection when it was accepted).
func dialStatus(t *testing.T, url string, header http.Header) (int, string, *websocket.Conn) {
	t.Helper()
	conn, resp, err := websocket.DefaultDialer.Dial(url, header)
	if resp == nil {
		t.Fatalf("dial %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if err == nil {
		t.Cleanup(func() { conn.Close() })
	}
	return resp.StatusCode, string(body), conn
}

// closeFrame reads what the server sends until its close frame and returns
// the frame and the text messages before it.
func closeFrame(t *testing.T, conn *websocket.Conn, within time.Duration) (*websocket.CloseError, []string) {
	t.Helper()
	_ = conn.SetReadDeadline(time.Now().Add(within))
	var texts []string
	for {
		kind, data, err := conn.ReadMessage()
		if err != nil {
			var ce *websocket.CloseError
			if !errors.As(err, &ce) {
				t.Fatalf("after %d messages: %v, want a close frame", len(texts), err)
			}
			return ce, texts
		}
		if kind == websocket.TextMessage {
			texts = append(texts, string(data))
		}
	}
}

// handshakeStatus returns the HTTP status of a twiliotest dial that the
// server refused, or 0.
func handshakeStatus(err error) int {
	var he *twiliotest.HandshakeError
	if errors.As(err, &he) {
		return he.StatusCode
	}
	return 0
}
