package main

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge/event"
)

// seenStream is what the fake server saw of one stream.
type seenStream struct {
	CallSID, StreamSID string
	Media              int
	Stop               bool
	// Dropped: the socket ended with neither stop nor a close frame.
	Dropped bool
}

// fakeTwilio is a server with a Twilio endpoint, which answers every
// stream with one final and closes on stop, and a /readyz counting the
// streams open.
type fakeTwilio struct {
	srv     *httptest.Server
	mu      sync.Mutex
	open    int
	streams []seenStream
}

func newFakeTwilio(t *testing.T) *fakeTwilio {
	t.Helper()
	f := &fakeTwilio{}
	mux := http.NewServeMux()
	mux.HandleFunc("/v1/twilio", f.serveStream)
	mux.HandleFunc("/readyz", func(w http.ResponseWriter, _ *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		_ = json.NewEncoder(w).Encode(map[string]any{"goroutines": 10, "tracks": 2 * f.open, "live_calls": f.open})
	})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeTwilio) url() string { return "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/v1/twilio" }

func (f *fakeTwilio) seen() []seenStream {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]seenStream(nil), f.streams...)
}

func (f *fakeTwilio) serveStream(w http.ResponseWriter, r *http.Request) {
	up := websocket.Upgrader{}
	conn, err := up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer conn.Close()
	f.mu.Lock()
	f.open++
	f.mu.Unlock()
	var s seenStream
	defer func() {
		f.mu.Lock()
		f.open--
		f.streams = append(f.streams, s)
		f.mu.Unlock()
	}()
	for {
		_, data, err := conn.ReadMessage()
		if err != nil {
			// gorilla reports a connection lost without a close frame
			// as 1006, which no peer may send.
			var ce *websocket.CloseError
			s.Dropped = !s.Stop && (!errors.As(err, &ce) || ce.Code == websocket.CloseAbnormalClosure)
			return
		}
		var m struct {
			Event string
			Start struct{ CallSID, StreamSID string }
		}
		_ = json.Unmarshal(data, &m)
		switch m.Event {
		case "start":
			s.CallSID, s.StreamSID = m.Start.CallSID, m.Start.StreamSID
		case "media":
			if s.Media++; s.Media == 1 {
				_ = conn.WriteJSON(event.Event{Type: event.Transcript, Track: caller, UtteranceID: "inbound-1",
					IsFinal: true, Text: "hi", Start: 0, End: 0.1, LatencyMS: 5})
			}
		case "stop":
			s.Stop = true
			msg := websocket.FormatCloseMessage(websocket.CloseNormalClosure, "bye")
			_ = conn.WriteControl(websocket.CloseMessage, msg, time.Now().Add(time.Second))
			return
		}
	}
}
