package main

import (
	"encoding/json"
	"testing"

	"github.com/callscribe/callscribe/codec"
	"github.com/callscribe/callscribe/transcribe/wer"
)

// containerCase is one live stream of a container file, as a browser app
// sends MediaRecorder's output: no encoding, the file's bytes cut every
// 100 ms of its length, wherever that falls.
type containerCase struct {
	name     string
	data     []byte
	seconds  int
	params   map[string]any
	refs     []string // a channel's reference each
	channels int
}

// containerCases are a mono WebM/Opus stream and a two-channel Ogg/Opus
// one transcribed a channel each.
func containerCases(t *testing.T) []containerCase {
	t.Helper()
	clips := corpus(t)
	one := placeClips(10, map[float64][]float32{0.5: clips["LJ001-0004"].Samples()})
	two := placeClips(10, map[float64][]float32{1.0: clips["LJ001-0008"].Samples(), 3.5: clips["LJ001-0006"].Samples()}) // 1.8 s, 5.7 s
	return []containerCase{
		{"WebM/Opus", webmOpus(t, 1, browserOpus(t, one)), 10, map[string]any{"model": "nova-3", "interim_results": "true", "punctuate": "true"},
			[]string{clips["LJ001-0004"].Reference}, 1},
		{"Ogg/Opus stereo", oggOpus(t, 2, browserOpus(t, one, two)), 10, map[string]any{"model": "nova-3", "multichannel": "true", "interim_results": "true"},
			[]string{clips["LJ001-0004"].Reference, clips["LJ001-0008"].Reference + " " + clips["LJ001-0006"].Reference}, 2},
	}
}

// checkContainerLive checks a container stream's messages: every one of
// the SDK's own type, interim and final results on each channel, the
// finals within the WER bound, Metadata last after a normal close.
func checkContainerLive(t *testing.T, c containerCase, out liveOutput, classes map[string]string) {
	t.Helper()
	m := decodeLive(t, out, classes)
	if len(out.Errors) > 0 || out.Close.Code != 1000 || len(m.metadata) != 1 || m.order[len(m.order)-1] != "Metadata" {
		t.Errorf("%s: errors %q, close %+v, order %q", c.name, out.Errors, out.Close, m.order)
	}
	if len(m.metadata) == 1 && (m.metadata[0].Channels != c.channels || m.metadata[0].Duration < float64(c.seconds)-0.1) {
		t.Errorf("%s: Metadata %+v", c.name, m.metadata[0])
	}
	interims := map[int]int{}
	for _, r := range m.results {
		if !r.IsFinal {
			interims[r.ChannelIndex[0]]++
		}
		if r.ChannelIndex[1] != c.channels {
			t.Errorf("%s: channel_index %v", c.name, r.ChannelIndex)
		}
	}
	for ch, ref := range c.refs {
		r := wer.Compute(ref, m.finalsText(ch))
		t.Logf("%s channel %d: %d interims; %v: %s", c.name, ch, interims[ch], r, m.finalsText(ch))
		if r.WER > 0.12 || interims[ch] == 0 {
			t.Errorf("%s channel %d: WER %.3f > 0.12 or no interims (%d)\nref: %s\nhyp: %s", c.name, ch, r.WER, interims[ch], ref, m.finalsText(ch))
		}
	}
}

// fileCase is a pre-recorded file made with Debian's encoders.
type fileCase struct {
	name   string
	path   string
	params map[string]any
	refs   []string
}

// fileCases are a mono MP3 (LAME) and a two-channel FLAC (libFLAC)
// transcribed a channel each.
func fileCases(t *testing.T) []fileCase {
	t.Helper()
	clips := corpus(t)
	mono := writeWAV(t, "jfk.wav", 16000, codec.FormatPCM16, clips["jfk"].Samples())
	stereo := writeWAV(t, "two.wav", 16000, codec.FormatPCM16, clips["LJ001-0004"].Samples(), clips["jfk"].Samples())
	return []fileCase{
		{"MP3", encodeWith(t, mono, "lame", "--quiet", "-b", "48"), map[string]any{"model": "nova-3", "smart_format": true},
			[]string{clips["jfk"].Reference}},
		{"FLAC stereo", encodeWith(t, stereo, "flac", "--silent"), map[string]any{"model": "nova-2", "multichannel": true, "punctuate": true},
			[]string{clips["LJ001-0004"].Reference, clips["jfk"].Reference}},
	}
}

// TestDeepgramPythonSDKContainers: Deepgram's Python SDK streams a
// WebM/Opus file and a two-channel Ogg/Opus file live without encoding,
// as a browser app does, and transcribes an MP3 and a FLAC file; only the
// base URL changed, every message and response of the SDK's own classes.
func TestDeepgramPythonSDKContainers(t *testing.T) {
	python := sdkTool(t, "CALLSCRIBE_DEEPGRAM_PYTHON", "venv/bin/python")
	srv := serveInProcess(t, testServeConfig(t))
	for _, c := range containerCases(t) {
		raw := runSDK(t, python, "live.py", map[string]any{"base_url": srv.URL, "audio": writeFile(t, "stream", c.data),
			"bytes_per_second": len(c.data) / c.seconds, "params": c.params})
		var out liveOutput
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatalf("%v: %s", err, raw)
		}
		checkContainerLive(t, c, out, pythonClasses)
	}
	for _, c := range fileCases(t) {
		raw := runSDK(t, python, "file.py", map[string]any{"base_url": srv.URL, "audio": c.path, "params": c.params})
		var out struct {
			Response sdkMessage `json:"response"`
		}
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatalf("%v: %s", err, raw)
		}
		t.Logf("%s:", c.name)
		checkFileResponse(t, out.Response, "ListenV1Response", c.refs, false)
	}
}

// TestDeepgramJSSDKContainers does the same with the JavaScript SDK.
func TestDeepgramJSSDKContainers(t *testing.T) {
	node, env := nodeSDK(t)
	srv := serveInProcess(t, testServeConfig(t))
	for _, c := range containerCases(t) {
		raw := runSDK(t, node, "js/live.js", map[string]any{"base_url": srv.URL, "audio": writeFile(t, "stream", c.data),
			"bytes_per_second": len(c.data) / c.seconds, "params": c.params}, env)
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
		checkContainerLive(t, c, out.liveOutput, jsClasses)
	}
	for _, c := range fileCases(t) {
		raw := runSDK(t, node, "js/file.js", map[string]any{"base_url": srv.URL, "audio": c.path, "params": c.params}, env)
		var out struct {
			Response sdkMessage `json:"response"`
		}
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatalf("%v: %s", err, raw)
		}
		t.Logf("%s:", c.name)
		checkFileResponse(t, out.Response, "Deepgram.ListenV1Response", c.refs, false)
	}
}
