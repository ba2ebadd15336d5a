package main

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"

	"github.com/callscribe/callscribe/codec"
	"github.com/callscribe/callscribe/fixtures/speech"
	"github.com/callscribe/callscribe/transcribe/wer"
)

// jsClasses are the JavaScript SDK's declared types of live messages.
var jsClasses = map[string]string{"Results": "Deepgram.listen.v1.ListenV1Results", "UtteranceEnd": "Deepgram.listen.v1.ListenV1UtteranceEnd",
	"SpeechStarted": "Deepgram.listen.v1.ListenV1SpeechStarted", "Metadata": "Deepgram.listen.v1.ListenV1Metadata"}

// nodeSDK returns node and the environment that finds the JavaScript
// SDK, or skips.
func nodeSDK(t *testing.T) (string, string) {
	t.Helper()
	modules := sdkTool(t, "CALLSCRIBE_DEEPGRAM_NODE_MODULES", "node/node_modules")
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("no node on PATH")
	}
	return node, "NODE_PATH=" + modules
}

// TestDeepgramJSSDK streams 8 kHz mu-law in real time with Deepgram's
// JavaScript SDK (@deepgram/sdk, listen.v1.connect), asking for a model
// name callscribe does not know, then transcribes a WAV with
// listen.v1.media.transcribeFile. Each message and the file's response
// type-check against the SDK's declared types (the SDK has no runtime
// parser: its types are what the app codes against).
func TestDeepgramJSSDK(t *testing.T) {
	node, env := nodeSDK(t)
	srv := serveInProcess(t, testServeConfig(t))
	clips := corpus(t)
	said := placeClips(8, map[float64][]float32{0.5: clips["LJ001-0004"].Samples()})
	law, err := speech.MuLaw8k(said, 16000)
	if err != nil {
		t.Fatal(err)
	}
	raw := runSDK(t, node, "js/live.js", map[string]any{"base_url": srv.URL, "audio": writeFile(t, "call.ulaw", law), "bytes_per_second": 8000,
		"params": map[string]any{"model": "acme-9", "encoding": "mulaw", "sample_rate": 8000, "interim_results": "true",
			"utterance_end_ms": 1000, "punctuate": "true"}}, env)
	var out struct {
		liveOutput
		CheckerRefusesBad bool `json:"checker_refuses_bad"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("%v: %s", err, raw)
	}
	if !out.CheckerRefusesBad {
		t.Fatal("the type check accepts a Results without channel and metadata: it checks nothing")
	}
	m := decodeLive(t, out.liveOutput, jsClasses)
	if len(out.Errors) > 0 || out.Close.Code != 1000 || len(m.metadata) != 1 || m.order[len(m.order)-1] != "Metadata" {
		t.Errorf("errors %q, close %+v, order %q", out.Errors, out.Close, m.order)
	}
	var interims, speechFinal int
	for _, r := range m.results {
		if !r.IsFinal {
			interims++
		}
		if r.SpeechFinal {
			speechFinal++
		}
		if mi := r.Metadata.ModelInfo; mi.Requested != "acme-9" || !strings.Contains(mi.Served, "unknown model") || !strings.HasPrefix(mi.Name, "whisper-") {
			t.Errorf("model_info %+v does not say the unknown model got the default", mi)
		}
	}
	if interims == 0 || speechFinal == 0 || len(m.ends) == 0 {
		t.Errorf("%d interims, %d speech_final, %d UtteranceEnd", interims, speechFinal, len(m.ends))
	}
	r := wer.Compute(clips["LJ001-0004"].Reference, m.finalsText(0))
	t.Logf("mu-law 8 kHz: %v: %s", r, m.finalsText(0))
	if r.WER > 0.12 {
		t.Errorf("WER %.3f > 0.12: %s", r.WER, m.finalsText(0))
	}

	wav := writeWAV(t, "jfk.wav", 16000, codec.FormatPCM16, clips["jfk"].Samples())
	raw = runSDK(t, node, "js/file.js", map[string]any{"base_url": srv.URL, "audio": wav,
		"params": map[string]any{"model": "nova-3", "smart_format": true}}, env)
	var file struct {
		Response sdkMessage `json:"response"`
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatalf("%v: %s", err, raw)
	}
	checkFileResponse(t, file.Response, "Deepgram.ListenV1Response", []string{clips["jfk"].Reference}, false)
}
