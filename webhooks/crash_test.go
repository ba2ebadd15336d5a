package webhooks_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/callscribe/callscribe/webhooks"
	"github.com/callscribe/callscribe/webhooks/sqlitestore"
)

// Environment of the crash test's child processes.
const (
	crashRole = "CALLSCRIBE_WEBHOOKS_CRASH_ROLE" // "produce" or "deliver"
	crashDB   = "CALLSCRIBE_WEBHOOKS_CRASH_DB"
	crashURL  = "CALLSCRIBE_WEBHOOKS_CRASH_URL"
)

// crashAcks is how many acknowledged events the parent waits for before it
// kills the producing child.
const crashAcks = 150

// TestCrashRecovery kills a producing process with SIGKILL while its
// receiver is failing and slow, then starts a second process on the same
// SQLite outbox. Every event the first process acknowledged (Enqueue
// returned) must arrive, in order per call; a duplicate may only repeat the
// same webhook-id.
func TestCrashRecovery(t *testing.T) {
	if os.Getenv(crashRole) != "" {
		t.Skip("in a crash-test child")
	}
	var down atomic.Bool
	down.Store(true)
	rc, srv := newReceiver(t, func(n int) action {
		if !down.Load() {
			return accept
		}
		return [...]action{accept, fail, hang}[n%3] // one in three gets through
	})
	db := filepath.Join(t.TempDir(), "outbox.db")
	child := func(role string) *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), crashRole+"="+role, crashDB+"="+db, crashURL+"="+srv.URL)
		return cmd
	}

	// First process: produce until killed.
	producer := child("produce")
	var stderr1 bytes.Buffer
	producer.Stderr = &stderr1
	out, err := producer.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := producer.Start(); err != nil {
		t.Fatal(err)
	}
	acked := map[string]string{} // "call/seq" -> webhook type
	var order []string
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		var call, typ string
		var seq uint64
		if n, _ := fmt.Sscanf(sc.Text(), "ack %s %d %s", &call, &seq, &typ); n != 3 {
			continue
		}
		key := fmt.Sprintf("%s/%d", call, seq)
		acked[key], order = typ, append(order, key)
		if len(acked) == crashAcks {
			if err := producer.Process.Kill(); err != nil { // SIGKILL
				t.Fatal(err)
			}
		}
	}
	err = producer.Wait()
	if len(acked) < crashAcks || err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("producer: %d acks, exit %v\n%s", len(acked), err, stderr1.String())
	}
	beforeKill, _, _, _ := rc.snapshot()
	down.Store(false)

	// Second process: deliver what is left, then report.
	deliverer := child("deliver")
	var stdout2, stderr2 bytes.Buffer
	deliverer.Stdout, deliverer.Stderr = &stdout2, &stderr2
	if err := deliverer.Run(); err != nil {
		t.Fatalf("deliverer: %v\n%s\n%s", err, stdout2.String(), stderr2.String())
	}
	var stats webhooks.MetricsSnapshot
	for line := range strings.Lines(stdout2.String()) {
		if rest, ok := strings.CutPrefix(line, "stats "); ok {
			if err := json.Unmarshal([]byte(rest), &stats); err != nil {
				t.Fatal(err)
			}
		}
	}

	got, requests, failures, badSigs := rc.snapshot()
	if badSigs != 0 {
		t.Errorf("%d requests failed signature verification", badSigs)
	}
	checkCrashOrder(t, got)
	ids := map[string]string{}
	for _, r := range got {
		key := fmt.Sprintf("%s/%d", r.ev.CallID, r.ev.Seq)
		if prev, ok := ids[key]; ok && prev != r.id {
			t.Errorf("%s delivered under two webhook-ids, %s and %s", key, prev, r.id)
		}
		ids[key] = r.id
		if r.ev.WebhookType() == "transcript.partial" {
			t.Errorf("partial %s delivered to an endpoint that did not subscribe", key)
		}
	}
	want, lost := 0, 0
	for _, key := range order {
		if acked[key] == "transcript.partial" {
			continue
		}
		want++
		if _, ok := ids[key]; !ok {
			lost++
			t.Errorf("acknowledged event %s (%s) never delivered", key, acked[key])
		}
	}
	pendingAtKill := want - len(beforeKill)
	if pendingAtKill <= 0 {
		t.Fatalf("the kill came after everything was delivered; the test proved nothing")
	}
	t.Logf("produced (acknowledged before SIGKILL): %d events, %d of them for the endpoint; "+
		"delivered before the kill: %d; delivered in all: %d distinct, %d requests accepted (%d duplicates, same webhook-id); "+
		"failed requests (500 or timeout): %d of %d; lost: %d; second process: %+v",
		len(order), want, len(beforeKill), len(ids), len(got), len(got)-len(ids), failures, requests, lost, stats)
}

// checkCrashOrder asserts that each call's events arrived in order; a
// repeat of the latest event (a redelivery) is allowed.
func checkCrashOrder(t *testing.T, got []received) {
	t.Helper()
	last := map[string]uint64{}
	for _, r := range got {
		if r.ev.Seq < last[r.ev.CallID] {
			t.Errorf("call %s: seq %d arrived after %d", r.ev.CallID, r.ev.Seq, last[r.ev.CallID])
		}
		last[r.ev.CallID] = r.ev.Seq
	}
}

// TestCrashChild is the body of TestCrashRecovery's child processes.
func TestCrashChild(t *testing.T) {
	role := os.Getenv(crashRole)
	if role == "" {
		t.Skip("runs only as a child of TestCrashRecovery")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	store, err := sqlitestore.Open(ctx, sqlitestore.Config{Path: os.Getenv(crashDB)})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	cfg := fastConfig(webhooks.EndpointConfig{ID: "crm", URL: os.Getenv(crashURL), Secrets: []string{testSecret}})
	cfg.Lease = time.Second
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	cfg.Schedule, cfg.Logger = fastSchedule, logger
	d, err := webhooks.New(ctx, store, cfg)
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- d.Run(runCtx) }()

	switch role {
	case "produce":
		for _, ev := range interleave(callEvents("CA-x", 40), callEvents("CA-y", 40), callEvents("CA-z", 40)) {
			if err := d.Enqueue(ctx, ev); err != nil {
				t.Fatal(err)
			}
			fmt.Printf("ack %s %d %s\n", ev.CallID, ev.Seq, ev.WebhookType())
			time.Sleep(5 * time.Millisecond)
		}
		<-ctx.Done() // wait for SIGKILL
	case "deliver":
		for {
			pending, err := store.Deliveries(ctx, webhooks.DeliveryQuery{Status: webhooks.StatusPending, Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			if len(pending) == 0 {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	stats, _ := json.Marshal(d.Metrics().Snapshot())
	fmt.Printf("stats %s\n", stats)
}
