package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestReadyzURL(t *testing.T) {
	for in, want := range map[string]string{
		"ws://127.0.0.1:18080/v1/twilio":   "http://127.0.0.1:18080/readyz",
		"wss://example.test/v1/twilio?a=b": "https://example.test/readyz",
	} {
		if got, err := readyzURL(in); err != nil || got != want {
			t.Errorf("%s: %q %v, want %q", in, got, err, want)
		}
	}
}

func TestWaitIdle(t *testing.T) {
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) < 3 {
			_, _ = w.Write([]byte(`{"pool":{"Busy":1,"QueuedFinals":2},"tracks":0}`))
			return
		}
		_, _ = w.Write([]byte(`{"pool":{"Busy":0,"QueuedFinals":0},"tracks":0}`))
	}))
	defer srv.Close()
	ws := "ws" + strings.TrimPrefix(srv.URL, "http") + "/v1/twilio"
	if !waitIdle(context.Background(), ws, 10*time.Second) || calls.Load() != 3 {
		t.Errorf("idle after %d polls", calls.Load())
	}
	srv.Close()
	if waitIdle(context.Background(), ws, time.Second) {
		t.Error("a server that is gone was seen idle")
	}
}
