package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A short soak against the fake server, sampling this process: the calls
// come and go in every way, the samples and the idle state are read, and
// the reports are written.
func TestSoakAgainstFakeServer(t *testing.T) {
	f := newFakeTwilio(t)
	readyz, err := readyzURL(f.url())
	if err != nil {
		t.Fatal(err)
	}
	churn := DefaultChurn
	churn.Drop, churn.Resume = 0.3, 0.3
	churn.ResumeMin, churn.ResumeMax = 10*time.Millisecond, 30*time.Millisecond
	churn.GapMin, churn.GapMax = 10*time.Millisecond, 50*time.Millisecond
	cfg := SoakConfig{
		Config: Config{URL: f.url(), ServerPID: os.Getpid(), Drain: 5 * time.Second, Seed: 3, ReadyzURL: readyz},
		Calls:  2, Duration: 2 * time.Second, Every: 100 * time.Millisecond,
		Warmup: 200 * time.Millisecond, Window: 500 * time.Millisecond, Settle: 2 * time.Second,
		Churn: churn, Rule: DefaultFlatRule,
	}
	layout := func(i int) (Call, error) {
		c := shortCall()
		c.Index = i
		return c, nil
	}
	rep, err := runSoak(context.Background(), cfg, layout, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	c := rep.Tally
	if c.Started < 6 || c.Completed != c.Started || c.Clean == 0 || c.Dropped == 0 || c.Resumed == 0 {
		t.Errorf("calls %+v: want several of each kind, all completed", c)
	}
	// A final on every stream: resumed calls have two.
	if c.FinalsReceived != c.Clean+c.Dropped+2*c.Resumed {
		t.Errorf("%d finals received for %+v", c.FinalsReceived, c)
	}
	v := rep.Verdict
	if len(rep.Samples) < 15 || v.First.Samples < 3 || v.Last.Samples < 3 || v.First.RSSMiB <= 0 {
		t.Errorf("%d samples, windows %+v and %+v", len(rep.Samples), v.First, v.Last)
	}
	if end := rep.Samples[len(rep.Samples)-1]; end.Tracks != 0 || end.At < rep.DurationSec {
		t.Errorf("the last sample %+v is not the idle end", end)
	}
	if i := rep.Idle; !i.Seen || i.StartGoroutines != 10 || i.EndGoroutines != 10 || i.EndTracks != 0 {
		t.Errorf("idle %+v", i)
	}
	for _, why := range v.Why {
		if !strings.HasPrefix(why, "RSS grew") { // this test process's RSS is not the subject
			t.Errorf("verdict: %s", why)
		}
	}

	dir := t.TempDir()
	if err := writeSoak(dir, rep); err != nil {
		t.Fatal(err)
	}
	var back SoakReport
	data, err := os.ReadFile(filepath.Join(dir, "soak.json"))
	if err != nil || json.Unmarshal(data, &back) != nil || len(back.Samples) != len(rep.Samples) {
		t.Fatalf("soak.json: %v", err)
	}
	md, err := os.ReadFile(filepath.Join(dir, "soak.md"))
	if err != nil || !bytes.Contains(md, []byte("**Verdict:")) || !bytes.Contains(md, []byte("| 0:00 |")) {
		t.Errorf("soak.md: %v\n%s", err, md)
	}
	if png, err := os.ReadFile(filepath.Join(dir, "soak.png")); err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Errorf("soak.png: %v", err)
	}
}

func TestSoakFlags(t *testing.T) {
	o, err := parseFlags([]string{"--soak", "30m", "-n", "4", "--server-pid", "1"})
	if err != nil || o.soakWarmup != 5*time.Minute || o.soakWindow != 5*time.Minute {
		t.Errorf("30m: %v, warm-up %v, window %v", err, o.soakWarmup, o.soakWindow)
	}
	o, err = parseFlags([]string{"--soak", "5m", "--server-pid", "1"})
	if err != nil || o.soakWarmup != 50*time.Second || o.soakWindow != 50*time.Second {
		t.Errorf("5m: %v, warm-up %v, window %v", err, o.soakWarmup, o.soakWindow)
	}
	for _, bad := range [][]string{
		{"--soak", "5m"}, // no server pid
		{"--soak", "5m", "--server-pid", "1", "--search"},
		{"--soak", "5m", "--server-pid", "1", "--soak-window", "3m"},
	} {
		if _, err := parseFlags(bad); err == nil {
			t.Errorf("%v: accepted", bad)
		}
	}
}
