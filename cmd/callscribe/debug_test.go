package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/callscribe/callscribe/bridge/twilio/twiliotest"
	"github.com/callscribe/callscribe/bridge/twilio/wire"
)

// TestProfileSplitsDecodes takes a CPU profile from --debug-listen while a
// call is transcribed: the profile carries the pool's decode labels, so
// `go tool pprof -tagfocus decode=final` can split the engine's time by
// kind. /readyz reports the server's goroutines for the load bench.
func TestProfileSplitsDecodes(t *testing.T) {
	debugAddr := freeAddr(t)
	_, addr := startChild(t, "--model", modelPath(t), "--vad-model", vadModelPath(t), "--data-dir", t.TempDir(),
		"--workers", "2", "--log-level", "warn", "--debug-listen", debugAddr)

	clips := corpus(t)
	audio := append(append(make([]float32, 8000), clips["LJ001-0001"].Samples()...), make([]float32, 48000)...)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c, err := twiliotest.Dial(ctx, "ws://"+addr+"/v1/twilio", twiliotest.StreamInfo{AccountSID: "AC1", CallSID: "CA-prof", StreamSID: "MZ-prof"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Begin(); err != nil {
		t.Fatal(err)
	}
	played := make(chan error, 1)
	go func() {
		played <- c.Play(ctx, twiliotest.PlayOptions{}, twiliotest.TrackAudio{Track: wire.TrackInbound, Audio: telephone(t, audio)})
	}()

	time.Sleep(time.Second)
	_, ready := readReadyz(t, addr)
	if ready.Tracks != 1 || ready.Goroutines < 10 {
		t.Errorf("readyz during a call: %+v, want 1 track and the server's goroutines", ready)
	}

	resp, err := http.Get("http://" + debugAddr + "/debug/pprof/profile?seconds=13")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("profile: %s", resp.Status)
	}
	prof := filepath.Join(t.TempDir(), "cpu.pb.gz")
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(prof, data, 0o644); err != nil {
		t.Fatal(err)
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatal("no go command to read the profile with:", err)
	}
	// The tool must not pick up this package's sysroot link flags: built
	// against the sysroot's glibc it would crash in NSS like any program.
	pp := exec.Command(goBin, "tool", "pprof", "-tags", prof)
	pp.Env = append(os.Environ(), "CGO_ENABLED=0", "CGO_LDFLAGS=", "CGO_CFLAGS=", "GOFLAGS=")
	out, err := pp.CombinedOutput()
	if err != nil {
		t.Fatalf("go tool pprof -tags: %v\n%s", err, out)
	}
	// The tag report lists each label key with its values' shares. The
	// utterance's final is decoded during the pause that ends it (a
	// speculative final) or after it.
	tags := string(out)
	if !strings.Contains(tags, "decode:") || !strings.Contains(tags, ": partial") ||
		!(strings.Contains(tags, ": final") || strings.Contains(tags, ": speculative")) {
		t.Errorf("the CPU profile's labels show no final and partial decodes:\n%s", tags)
	}
	t.Logf("decode labels over 13 s of a call:\n%s", tags)
	if err := <-played; err != nil {
		t.Fatal(err)
	}
	// The public listener does not serve profiles.
	if r, err := http.Get("http://" + addr + "/debug/pprof/"); err == nil {
		r.Body.Close()
		if r.StatusCode == http.StatusOK {
			t.Error("the public listener serves /debug/pprof/")
		}
	}
}
