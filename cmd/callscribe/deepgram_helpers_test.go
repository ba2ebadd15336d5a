package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/callscribe/callscribe/bridge/deepgram"
)

// The Deepgram SDK tests run Deepgram's official SDKs, installed by the
// Makefile into .deps/deepgram (a Python venv and a Node folder), against
// the service with only the base URL changed. Without them the tests
// skip, unless CALLSCRIBE_REQUIRE_SDKS is set (make e2e sets it).

// sdkTool returns an SDK's interpreter (python or node), or skips.
func sdkTool(t *testing.T, env, rel string) string {
	t.Helper()
	p := os.Getenv(env)
	if p == "" {
		p = filepath.Join("..", "..", ".deps", "deepgram", rel)
	}
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CALLSCRIBE_REQUIRE_SDKS") != "" {
			t.Fatalf("Deepgram SDK missing (%v): run make e2e, which installs it", err)
		}
		t.Skipf("Deepgram SDK not installed (%v): make e2e installs it", err)
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// runSDK writes plan to a file and runs script with it (env added to the
// environment), returning the script's standard output. A script gets
// sdkTimeout.
func runSDK(t *testing.T, interp, script string, plan map[string]any, env ...string) []byte {
	t.Helper()
	planFile := filepath.Join(t.TempDir(), "plan.json")
	b, err := json.Marshal(plan)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(planFile, b, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(interp, script, planFile)
	cmd.Dir = filepath.Join("testdata", "deepgram")
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-time.After(sdkTimeout):
		_ = cmd.Process.Kill()
		<-done
		t.Fatalf("%s did not finish within %v; stderr:\n%s", script, sdkTimeout, stderr.String())
	}
	if err != nil {
		t.Fatalf("%s: %v\nstderr:\n%s", script, err, stderr.String())
	}
	if stderr.Len() > 0 {
		t.Logf("%s stderr:\n%s", script, stderr.String())
	}
	return stdout.Bytes()
}

// sdkTimeout bounds one SDK script: a stream of a few seconds in real
// time and its checks.
const sdkTimeout = 2 * time.Minute

// sdkMessage is one message as the SDK handed it to the app: the SDK
// class it parsed into, whether that class validates it, its fields.
type sdkMessage struct {
	Class string          `json:"class"`
	Valid bool            `json:"valid"`
	Error string          `json:"error"`
	Data  json.RawMessage `json:"data"`
}

// liveOutput is what the live scripts print.
type liveOutput struct {
	Messages []sdkMessage `json:"messages"`
	Errors   []string     `json:"errors"`
	Close    struct {
		Code   int    `json:"code"`
		Reason string `json:"reason"`
	} `json:"close"`
}

// liveMessages is a stream's messages, decoded by kind.
type liveMessages struct {
	results  []deepgram.Results
	ends     []deepgram.UtteranceEnd
	starts   []deepgram.SpeechStarted
	metadata []deepgram.Metadata
	order    []string // message types in arrival order
}

// decodeLive checks that every message parsed into the SDK class named in
// classes for its type, and that the class validates it.
func decodeLive(t *testing.T, out liveOutput, classes map[string]string) liveMessages {
	t.Helper()
	var m liveMessages
	for i, msg := range out.Messages {
		var head struct{ Type string }
		if err := json.Unmarshal(msg.Data, &head); err != nil {
			t.Fatalf("message %d: %v (%s)", i, err, msg.Data)
		}
		if want := classes[head.Type]; msg.Class != want || !msg.Valid {
			t.Errorf("message %d (%s) reached the app as %s, valid %v (want %s): %s\n%s", i, head.Type, msg.Class, msg.Valid, want, msg.Error, msg.Data)
		}
		m.order = append(m.order, head.Type)
		var err error
		switch head.Type {
		case "Results":
			var r deepgram.Results
			err = json.Unmarshal(msg.Data, &r)
			m.results = append(m.results, r)
		case "UtteranceEnd":
			var u deepgram.UtteranceEnd
			err = json.Unmarshal(msg.Data, &u)
			m.ends = append(m.ends, u)
		case "SpeechStarted":
			var s deepgram.SpeechStarted
			err = json.Unmarshal(msg.Data, &s)
			m.starts = append(m.starts, s)
		case "Metadata":
			var md deepgram.Metadata
			err = json.Unmarshal(msg.Data, &md)
			m.metadata = append(m.metadata, md)
		}
		if err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
	}
	return m
}

// finalsText joins channel c's final transcripts.
func (m liveMessages) finalsText(c int) string {
	var parts []string
	for _, r := range m.results {
		if r.IsFinal && r.ChannelIndex[0] == c && r.Channel.Alternatives[0].Transcript != "" {
			parts = append(parts, r.Channel.Alternatives[0].Transcript)
		}
	}
	return strings.Join(parts, " ")
}

// placeClips lays clips on a 16 kHz track of length seconds, each at its
// start time.
func placeClips(length float64, clips map[float64][]float32) []float32 {
	track := make([]float32, int(length*16000))
	for at, c := range clips {
		copy(track[int(at*16000):], c)
	}
	return track
}

// linear16 interleaves channels as 16-bit little-endian PCM.
func linear16(channels ...[]float32) []byte {
	out := make([]byte, 0, 2*len(channels)*len(channels[0]))
	for i := range channels[0] {
		for _, ch := range channels {
			v := math.Max(-1, math.Min(1, float64(ch[i])))
			out = binary.LittleEndian.AppendUint16(out, uint16(int16(math.Round(v*32767))))
		}
	}
	return out
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
