package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/bridge/twilio"
	"github.com/callscribe/callscribe/bridge/twilio/twiliotest"
	"github.com/callscribe/callscribe/bridge/twilio/wire"
	"github.com/callscribe/callscribe/webhooks/pgstore/pgtest"
	"github.com/callscribe/callscribe/webhooks/signature"
)

// childEnv makes the test binary run `callscribe serve` instead of the
// tests, so the crash test can SIGKILL a real server process.
const childEnv = "CALLSCRIBE_TEST_SERVE_ARGS"

func TestMain(m *testing.M) {
	if args := os.Getenv(childEnv); args != "" {
		os.Exit(run(append([]string{"serve"}, strings.Split(args, "\x1f")...), os.Stdout, os.Stderr))
	}
	code := m.Run()
	pgtest.Stop() // the PostgreSQL server of TestACallSurvivesItsNode, if started
	os.Exit(code)
}

// startChild runs the server in a child process and waits until it answers.
func startChild(t *testing.T, args ...string) (*exec.Cmd, string) {
	t.Helper()
	addr := freeAddr(t)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+strings.Join(append(args, "--listen", addr), "\x1f"))
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	for deadline := time.Now().Add(time.Minute); ; {
		if r, err := http.Get("http://" + addr + "/healthz"); err == nil {
			r.Body.Close()
			return cmd, addr
		}
		if time.Now().After(deadline) {
			t.Fatal("server did not come up")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// freeAddr returns a loopback address with a port nobody listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// readyzStatus is the part of /readyz the tests read.
type readyzStatus struct {
	Tracks     int `json:"tracks"`
	Goroutines int `json:"goroutines"`
}

// readReadyz returns the status code and figures of addr's /readyz.
func readReadyz(t *testing.T, addr string) (int, readyzStatus) {
	t.Helper()
	r, err := http.Get("http://" + addr + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	var st readyzStatus
	if err := json.NewDecoder(r.Body).Decode(&st); err != nil {
		t.Fatalf("readyz: %v", err)
	}
	return r.StatusCode, st
}

// TestCrashLosesNoProducedEvent kills the server with SIGKILL while the
// CRM is down (deliveries pending) and a caller is mid-utterance. After a
// restart on the same data folder, every event produced before the kill
// reaches the CRM; a duplicate may only repeat a webhook-id. The call the
// kill interrupted gets its call.ended, reason interrupted, with the
// finals produced before the kill, so the CRM is not left waiting.
func TestCrashLosesNoProducedEvent(t *testing.T) {
	secret, err := signature.NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	rcv := &webhookReceiver{secret: secret, down: true}
	crm := httptest.NewServer(rcv)
	defer crm.Close()
	data := t.TempDir()
	args := []string{"--model", modelPath(t), "--vad-model", vadModelPath(t), "--data-dir", data,
		"--workers", "2", "--log-level", "warn", "--webhook-url", crm.URL, "--webhook-secret", secret.String()}
	child, addr := startChild(t, args...)

	clips := corpus(t)
	audio := append(append(append(make([]float32, 8000), clips["LJ001-0002"].Samples()...), make([]float32, 16000)...),
		clips["LJ001-0001"].Samples()...)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	c, err := twiliotest.Dial(ctx, "ws://"+addr+"/v1/twilio", twiliotest.StreamInfo{AccountSID: "AC9", CallSID: "CA-crash", StreamSID: "MZ-crash",
		CustomParameters: map[string]string{twilio.ParamTranscripts: "true"}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Begin(); err != nil {
		t.Fatal(err)
	}
	go func() {
		_ = c.Play(ctx, twiliotest.PlayOptions{}, twiliotest.TrackAudio{Track: wire.TrackInbound, Audio: telephone(t, audio)})
	}()

	// Read the back-channel: what it shows was produced (the hub writes the
	// outbox before any subscriber sees an event). Kill once the first
	// final is out and the next utterance has partials: mid-utterance.
	var produced []event.Event
	finals := 0
	for {
		var e event.Event
		_ = c.Conn().SetReadDeadline(time.Now().Add(time.Minute))
		if err := c.Conn().ReadJSON(&e); err != nil {
			t.Fatalf("back-channel ended before the crash point: %v", err)
		}
		if e.Type == event.Transcript && !e.IsFinal {
			if finals > 0 {
				break
			}
			continue
		}
		produced = append(produced, e)
		if e.Type == event.Transcript {
			finals++
		}
	}
	if err := child.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = child.Wait()
	t.Logf("killed the server with %d events produced (%d finals) and the CRM down", len(produced), finals)

	rcv.setDown(false)
	startChild(t, args...)
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) && len(missing(rcv, produced)) > 0 {
		time.Sleep(200 * time.Millisecond)
	}
	if m := missing(rcv, produced); len(m) > 0 {
		t.Fatalf("after restart, %d produced events never arrived: %v", len(m), m)
	}
	ended := waitInterrupted(t, rcv, produced[0].CallID)
	var said []string
	for _, u := range ended.Transcript {
		said = append(said, u.UtteranceID)
	}
	for _, e := range produced {
		if e.Type == event.Transcript && !slices.Contains(said, e.UtteranceID) {
			t.Errorf("call.ended's transcript lacks final %s %q", e.UtteranceID, e.Text)
		}
		if e.Seq >= ended.Seq {
			t.Errorf("call.ended has seq %d, not after the produced %d", ended.Seq, e.Seq)
		}
	}
	rcv.mu.Lock()
	defer rcv.mu.Unlock()
	idOf := map[string]string{}
	for i, e := range rcv.events {
		key := fmt.Sprintf("%s/%d", e.CallID, e.Seq)
		if id, ok := idOf[key]; ok && id != rcv.ids[i] {
			t.Errorf("event %s delivered twice with different webhook-ids %s and %s", key, id, rcv.ids[i])
		}
		idOf[key] = rcv.ids[i]
	}
	t.Logf("produced before the kill: %d; delivered after restart: %d requests, %d distinct events, %d bad signatures",
		len(produced), len(rcv.events), len(idOf), rcv.bad)
}

// missing lists the produced events the receiver has not accepted.
func missing(rcv *webhookReceiver, produced []event.Event) []string {
	rcv.mu.Lock()
	defer rcv.mu.Unlock()
	got := map[string]bool{}
	for _, e := range rcv.events {
		got[fmt.Sprintf("%s/%d", e.CallID, e.Seq)] = true
	}
	var m []string
	for _, e := range produced {
		if key := fmt.Sprintf("%s/%d", e.CallID, e.Seq); !got[key] {
			m = append(m, key+" "+string(e.Type))
		}
	}
	return m
}

// waitInterrupted waits for the call's call.ended at the receiver and
// checks it reports the interruption.
func waitInterrupted(t *testing.T, rcv *webhookReceiver, callID string) event.Event {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		rcv.mu.Lock()
		for _, e := range rcv.events {
			if e.CallID == callID && e.Type == event.CallEnded {
				rcv.mu.Unlock()
				if e.Call == nil || e.Call.EndReason != "interrupted" {
					t.Fatalf("call.ended of the interrupted call: %+v", e.Call)
				}
				return e
			}
		}
		rcv.mu.Unlock()
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("no call.ended for %s after the restart", callID)
	return event.Event{}
}
