package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/bridge/twilio"
	"github.com/callscribe/callscribe/bridge/twilio/twiliotest"
	"github.com/callscribe/callscribe/bridge/twilio/wire"
	"github.com/callscribe/callscribe/webhooks/signature"
)

// TestDrainOnSIGTERM sends SIGTERM to a server with two live calls: at
// once readiness turns false and a new call is refused; the live calls go
// on for the drain timeout; then what they said becomes finals, both get
// call.ended (reason server_shutdown), the CRM receives every event, and
// the process exits 0.
func TestDrainOnSIGTERM(t *testing.T) {
	secret, err := signature.NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	rcv := &webhookReceiver{secret: secret}
	crm := httptest.NewServer(rcv)
	defer crm.Close()
	child, addr := startChild(t, "--model", modelPath(t), "--vad-model", vadModelPath(t), "--data-dir", t.TempDir(),
		"--workers", "2", "--log-level", "warn", "--webhook-url", crm.URL, "--webhook-secret", secret.String(),
		"--drain-timeout", "4s")

	clips := corpus(t)
	audio := telephone(t, append(append(clips["LJ001-0001"].Samples(), make([]float32, 8000)...), clips["LJ001-0003"].Samples()...))
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var backs []<-chan []event.Event
	for _, sid := range []string{"a", "b"} {
		c, err := twiliotest.Dial(ctx, "ws://"+addr+"/v1/twilio", twiliotest.StreamInfo{AccountSID: "AC1", CallSID: "CA-drain-" + sid,
			StreamSID: "MZ-drain-" + sid, CustomParameters: map[string]string{twilio.ParamTranscripts: "true"}})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		backs = append(backs, readBack(c.Conn()))
		if err := c.Begin(); err != nil {
			t.Fatal(err)
		}
		go func() {
			_ = c.Play(ctx, twiliotest.PlayOptions{}, twiliotest.TrackAudio{Track: wire.TrackInbound, Audio: audio})
		}()
	}
	time.Sleep(6 * time.Second) // well into the first sentence of both calls
	if err := child.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// Draining: not ready, and a new call is turned away to another node.
	waitStatus(t, "http://"+addr+"/readyz", http.StatusServiceUnavailable)
	late, err := twiliotest.Dial(ctx, "ws://"+addr+"/v1/twilio", twiliotest.StreamInfo{CallSID: "CA-late", StreamSID: "MZ-late"})
	if err != nil {
		t.Fatal(err)
	}
	if ce, _ := closeFrame(t, late.Conn(), 10*time.Second); ce.Code != websocket.CloseGoingAway {
		t.Errorf("a call during the drain: %d %q, want 1001", ce.Code, ce.Text)
	}

	exited := make(chan error, 1)
	go func() { exited <- child.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("the server exited with %v, want 0", err)
		}
	case <-time.After(90 * time.Second):
		t.Fatal("the server did not exit after the drain")
	}

	for i, back := range backs {
		evs := <-back
		var finals []event.Event
		for _, e := range evs {
			if e.Type == event.Transcript && e.IsFinal {
				finals = append(finals, e)
			}
		}
		if len(finals) == 0 {
			t.Errorf("call %d: no final on its socket", i)
			continue
		}
		ended := webhookOf(t, rcv, finals[0].CallID, event.CallEnded)
		if ended.Call.EndReason != "server_shutdown" || len(ended.Transcript) != len(finals) {
			t.Errorf("call %d: call.ended %q with %d utterances, the socket saw %d finals", i, ended.Call.EndReason, len(ended.Transcript), len(finals))
		}
		rcv.mu.Lock()
		got := map[uint64]bool{}
		for _, e := range rcv.events {
			if e.CallID == finals[0].CallID {
				got[e.Seq] = true
			}
		}
		rcv.mu.Unlock()
		for _, f := range finals {
			if !got[f.Seq] {
				t.Errorf("call %d: final seq %d never reached the CRM", i, f.Seq)
			}
		}
	}
}

// waitStatus polls url until it answers status.
func waitStatus(t *testing.T, url string, status int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if r, err := http.Get(url); err == nil {
			r.Body.Close()
			if r.StatusCode == status {
				return
			}
		}
	}
	t.Fatalf("%s never answered %d", url, status)
}

// webhookOf returns the first event of type typ of the call the receiver
// accepted. A server that stopped gracefully delivered its webhooks before
// it exited, so it does not wait for them.
func webhookOf(t *testing.T, rcv *webhookReceiver, callID string, typ event.Type) event.Event {
	t.Helper()
	rcv.mu.Lock()
	defer rcv.mu.Unlock()
	for _, e := range rcv.events {
		if e.CallID == callID && e.Type == typ {
			return e
		}
	}
	t.Fatalf("the CRM never got %s of %s (%d events in all)", typ, callID, len(rcv.events))
	return event.Event{}
}
