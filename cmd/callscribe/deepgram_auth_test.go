package main

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// TestDeepgramBrowserCredential: a browser cannot set headers on a
// WebSocket, so Deepgram's browser SDK sends the key as the subprotocol
// offer "token, KEY". The upgrade selects "token" (never the key), the
// stream runs, and a wrong key offered that way is refused before it.
func TestDeepgramBrowserCredential(t *testing.T) {
	cfg := testServeConfig(t)
	keys := makeKeys(t, cfg, "stream")
	srv := serveInProcess(t, cfg)
	url := wsURL(srv, "/v1/listen?encoding=linear16&sample_rate=16000")

	d := websocket.Dialer{Subprotocols: []string{"token", "cs_notakey_x"}}
	_, resp, err := d.Dial(url, nil)
	if resp != nil {
		resp.Body.Close()
	}
	if err == nil || resp == nil || resp.StatusCode != 401 {
		t.Fatalf("a wrong key as subprotocol: %v %v", resp, err)
	}
	d.Subprotocols = []string{"token", keys["stream"]}
	var conn *websocket.Conn
	conn, resp, err = d.Dial(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	resp.Body.Close()
	if conn.Subprotocol() != "token" {
		t.Errorf("selected subprotocol %q, want token", conn.Subprotocol())
	}
	if err := conn.WriteMessage(websocket.BinaryMessage, make([]byte, 3200)); err != nil {
		t.Fatal(err)
	}
	if err := conn.WriteMessage(websocket.TextMessage, []byte(`{"type":"CloseStream"}`)); err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	var last struct{ Type string }
	for {
		_, data, err := conn.ReadMessage()
		if err != nil {
			break
		}
		_ = json.Unmarshal(data, &last)
	}
	if last.Type != "Metadata" {
		t.Errorf("last message %q, want Metadata", last.Type)
	}
}
