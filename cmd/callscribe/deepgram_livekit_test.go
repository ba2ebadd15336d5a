package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/callscribe/callscribe/transcribe/wer"
)

// TestDeepgramLiveKitPlugin runs LiveKit Agents' Deepgram STT plugin
// (livekit-plugins-deepgram), unchanged but for base_url, on one
// utterance: the agent sees start of speech, interim and final
// transcripts, and end of speech. The plugin and its dependencies (the
// LiveKit native client, numpy) are heavy, so make test leaves it out:
// make deepgram-plugin-check installs them and runs it.
func TestDeepgramLiveKitPlugin(t *testing.T) {
	python := os.Getenv("CALLSCRIBE_LIVEKIT_PYTHON")
	if python == "" {
		t.Skip("CALLSCRIBE_LIVEKIT_PYTHON not set: make deepgram-plugin-check runs this")
	}
	cfg := testServeConfig(t)
	keys := makeKeys(t, cfg, "stream")
	srv := serveInProcess(t, cfg)
	clips := corpus(t)
	audio := placeClips(8, map[float64][]float32{0.5: clips["LJ001-0004"].Samples()})
	raw := runSDK(t, python, "livekit_stt.py", map[string]any{"base_url": srv.URL, "api_key": keys["stream"],
		"audio": writeFile(t, "call.raw", linear16(audio))})
	var out struct {
		Events []struct {
			Type, Text string
		} `json:"events"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("%v: %s", err, raw)
	}
	seen := map[string]int{}
	var finals []string
	for _, e := range out.Events {
		seen[e.Type]++
		if e.Type == "final_transcript" {
			finals = append(finals, e.Text)
		}
	}
	r := wer.Compute(clips["LJ001-0004"].Reference, strings.Join(finals, " "))
	t.Logf("events %v; %v: %q", seen, r, finals)
	for _, k := range []string{"start_of_speech", "interim_transcript", "final_transcript", "end_of_speech"} {
		if seen[k] == 0 {
			t.Errorf("no %s event: %v", k, seen)
		}
	}
	if r.WER > 0.12 {
		t.Errorf("WER %.3f", r.WER)
	}
}
