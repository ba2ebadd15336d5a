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

	"github.com/callscribe/callscribe/bridge/event"
)

// fakeServer answers a stream with a final after the first media message,
// then closes with code when stop arrives (or at once, for 1013).
func fakeServer(t *testing.T, code int) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var media atomic.Int64
	up := websocket.Upgrader{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer conn.Close()
		bye := func() {
			msg := websocket.FormatCloseMessage(code, "bye")
			_ = conn.WriteControl(websocket.CloseMessage, msg, time.Now().Add(time.Second))
		}
		if code == websocket.CloseTryAgainLater {
			bye()
			return
		}
		sent := false
		for {
			_, data, err := conn.ReadMessage()
			if err != nil {
				return
			}
			var m struct{ Event string }
			_ = json.Unmarshal(data, &m)
			switch m.Event {
			case "media":
				media.Add(1)
				if !sent {
					sent = true
					_ = conn.WriteJSON(event.Event{Type: event.Transcript, Track: caller, UtteranceID: "inbound-1",
						IsFinal: true, Text: "hi", Start: 0, End: 0.1, LatencyMS: 5})
				}
			case "stop":
				bye()
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &media
}

func shortCall() Call {
	n := sampleRate / 5 // 0.2 s
	return Call{Index: 3, Tracks: map[string][]float32{caller: make([]float32, n), agent: make([]float32, n)}, Seconds: 0.2}
}

func TestPlayCall(t *testing.T) {
	srv, media := fakeServer(t, websocket.CloseNormalClosure)
	url := "ws" + strings.TrimPrefix(srv.URL, "http")
	r := playCall(context.Background(), url, shortCall(), 5*time.Second, slog.New(slog.DiscardHandler))
	if r.Refused || r.Error != "" || r.CloseCode != websocket.CloseNormalClosure {
		t.Fatalf("%+v", r)
	}
	// 0.2 s of two tracks in 20 ms frames.
	if got := media.Load(); got != 20 {
		t.Errorf("%d media messages, want 20", got)
	}
	if len(r.Events) != 1 || r.Events[0].Event.Text != "hi" || r.Events[0].At < 0 || r.Events[0].At > 1 {
		t.Errorf("events %+v", r.Events)
	}
}

func TestPlayCallRefused(t *testing.T) {
	srv, _ := fakeServer(t, websocket.CloseTryAgainLater)
	url := "ws" + strings.TrimPrefix(srv.URL, "http")
	r := playCall(context.Background(), url, shortCall(), 5*time.Second, slog.New(slog.DiscardHandler))
	if !r.Refused || r.CloseCode != websocket.CloseTryAgainLater {
		t.Errorf("%+v", r)
	}
	// Nothing listens: refused at dial.
	srv.Close()
	r = playCall(context.Background(), url, shortCall(), time.Second, slog.New(slog.DiscardHandler))
	if !r.Refused || r.Error == "" {
		t.Errorf("dial: %+v", r)
	}
}

func TestPlayCallCancelled(t *testing.T) {
	srv, _ := fakeServer(t, websocket.CloseNormalClosure)
	url := "ws" + strings.TrimPrefix(srv.URL, "http")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	done := make(chan CallResult, 1)
	go func() { done <- playCall(ctx, url, shortCall(), time.Minute, slog.New(slog.DiscardHandler)) }()
	select {
	case r := <-done:
		if r.Error == "" || r.Refused {
			t.Errorf("a cancelled call: %+v", r)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a cancelled call did not return")
	}
}
