package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// fakePeer speaks the WhisperLive protocol: SERVER_READY after the
// options, then the same completed segment twice (as the real server
// re-sends recent ones) and an open segment that is never committed.
func fakePeer(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var bytesIn atomic.Int64
	up := websocket.Upgrader{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer conn.Close()
		var opts map[string]any
		if conn.ReadJSON(&opts) != nil || opts["uid"] == "" {
			return
		}
		_ = conn.WriteJSON(map[string]any{"uid": opts["uid"], "message": "SERVER_READY"})
		seg := `{"uid":"x","segments":[{"start":"0.000","end":"0.100","text":"hello","completed":true},{"start":"0.100","end":"0.180","text":"there","completed":false}]}`
		for {
			kind, data, err := conn.ReadMessage()
			if err != nil {
				return
			}
			if kind == websocket.BinaryMessage && string(data) == "END_OF_AUDIO" {
				_ = conn.WriteMessage(websocket.TextMessage, []byte(seg))
				_ = conn.WriteMessage(websocket.TextMessage, []byte(seg))
				_ = conn.WriteJSON(map[string]any{"message": "DISCONNECT"})
				return
			}
			bytesIn.Add(int64(len(data)))
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &bytesIn
}

func TestPlayPeer(t *testing.T) {
	srv, bytesIn := fakePeer(t)
	url := "ws" + strings.TrimPrefix(srv.URL, "http")
	call := shortCall()
	call.Truth = []Truth{{Track: caller, Ref: "hello there", Start: 0, End: 0.15}, {Track: agent, Ref: "hello there", Start: 0, End: 0.15}}
	r := playPeer(context.Background(), url, call, 10*time.Second, slog.New(slog.DiscardHandler))
	if r.Error != "" || r.Refused {
		t.Fatalf("%+v", r)
	}
	// Two tracks of 0.2 s at 16 kHz, four bytes a sample.
	if got := bytesIn.Load(); got != 2*4*3200 {
		t.Errorf("%d audio bytes, want %d", got, 2*4*3200)
	}
	s := Score(call, r.Events)
	// Per track: "hello" committed once (de-duplicated), "there" shown
	// but never committed: in the text, not in the latencies.
	if s.Finals != 4 || len(s.ClientFinalMS) != 2 || len(s.ServerFinalMS) != 0 {
		t.Errorf("finals %d, client latencies %v, server %v", s.Finals, s.ClientFinalMS, s.ServerFinalMS)
	}
	for _, tr := range []string{caller, agent} {
		if s.WER[tr].WER != 0 {
			t.Errorf("%s: %v (%q)", tr, s.WER[tr], s.Hyp[tr])
		}
	}
}

func TestPeerSeconds(t *testing.T) {
	var v struct{ A, B peerSeconds }
	if err := json.Unmarshal([]byte(`{"A":"1.250","B":2.5}`), &v); err != nil || v.A != 1.25 || v.B != 2.5 {
		t.Errorf("%+v %v", v, err)
	}
	if err := json.Unmarshal([]byte(`{"A":true}`), &v); err == nil {
		t.Error("a boolean time parsed")
	}
}
