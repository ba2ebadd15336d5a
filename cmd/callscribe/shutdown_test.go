package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/callscribe/callscribe/codec"
)

// TestShutdownFinishesUploadInFlight stops the service while a file upload
// is still arriving: intake stops at once (the listener refuses new
// connections), yet the upload in flight is read to its end and gets its
// transcript, because the pool closes only after the requests running
// when the shutdown began.
func TestShutdownFinishesUploadInFlight(t *testing.T) {
	clips := corpus(t)
	cfg := testServeConfig(t)
	cfg.Workers, cfg.AudioCtx, cfg.Grace = 1, "full", time.Second
	live := serveInProcess(t, cfg)
	body, err := os.ReadFile(writeWAV(t, "jfk.wav", 16000, codec.FormatPCM16, clips["jfk"].Samples()))
	if err != nil {
		t.Fatal(err)
	}
	type answer struct {
		status int
		ft     fileTranscript
		err    error
	}
	upload, uploading := io.Pipe()
	answered := make(chan answer, 1)
	go func() {
		// With Expect: 100-continue the client sends the body only once
		// the handler starts reading it, so the first write below returns
		// when the request is in the handler: in flight for the shutdown.
		req, err := http.NewRequest(http.MethodPost, live.URL+"/v1/transcribe", upload)
		if err != nil {
			answered <- answer{err: err}
			return
		}
		req.Header.Set("Content-Type", "audio/wav")
		req.Header.Set("Expect", "100-continue")
		client := &http.Client{Transport: &http.Transport{ExpectContinueTimeout: time.Minute}}
		resp, err := client.Do(req)
		if err != nil {
			answered <- answer{err: err}
			return
		}
		defer resp.Body.Close()
		a := answer{status: resp.StatusCode}
		a.err = json.NewDecoder(resp.Body).Decode(&a.ft)
		answered <- a
	}()
	half := len(body) / 2
	if _, err := uploading.Write(body[:half]); err != nil {
		t.Fatal(err)
	}
	stopped := make(chan error, 1)
	go func() { stopped <- live.stop() }()
	// Intake stops first: wait until the listener refuses connections.
	for {
		resp, err := http.Get(live.URL + "/healthz")
		if err != nil {
			break
		}
		resp.Body.Close()
		time.Sleep(5 * time.Millisecond)
	}
	if _, err := uploading.Write(body[half:]); err != nil {
		a := <-answered
		t.Fatalf("sending the rest of the upload: %v; answer: status %d, err %v", err, a.status, a.err)
	}
	uploading.Close()
	a := <-answered
	if a.err != nil || a.status != http.StatusOK || len(a.ft.Channels) != 1 || len(a.ft.Channels[0].Text) < 50 {
		t.Fatalf("upload in flight at shutdown: status %d, err %v, transcript %+v", a.status, a.err, a.ft)
	}
	if err := <-stopped; err != nil {
		t.Fatalf("serve: %v", err)
	}
}
