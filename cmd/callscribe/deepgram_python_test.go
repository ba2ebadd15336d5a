package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/callscribe/callscribe/bridge/deepgram"
	"github.com/callscribe/callscribe/codec"
	"github.com/callscribe/callscribe/transcribe/wer"
)

// pythonClasses are the Python SDK's classes for each live message type.
var pythonClasses = map[string]string{"Results": "ListenV1Results", "UtteranceEnd": "ListenV1UtteranceEnd",
	"SpeechStarted": "ListenV1SpeechStarted", "Metadata": "ListenV1Metadata"}

// TestDeepgramPythonSDKLive streams 12 s of two-channel audio in real time
// with Deepgram's Python SDK (deepgram-sdk, listen.v1.connect), with a
// stream key as Deepgram's "Token" credential and only the base URL
// changed. Channel 0 speaks, pauses 2.4 s (an endpoint: speech_final, then
// UtteranceEnd), and speaks again until the client sends Finalize
// (from_finalize); channel 1 speaks twice. Every message must parse into
// the SDK's own class; the finals' WER stays within the Twilio test's
// bound; CloseStream brings Metadata, then 1000; and the stream is a call
// like any other, whose transcript the store keeps.
func TestDeepgramPythonSDKLive(t *testing.T) {
	python := sdkTool(t, "CALLSCRIBE_DEEPGRAM_PYTHON", "venv/bin/python")
	cfg := testServeConfig(t)
	keys := makeKeys(t, cfg, "stream", "read")
	cfg.Grace = time.Second
	srv := serveInProcess(t, cfg)
	clips := corpus(t)
	ch0 := placeClips(12, map[float64][]float32{0.5: clips["LJ001-0004"].Samples(), 8.0: clips["LJ001-0002"].Samples()})
	ch1 := placeClips(12, map[float64][]float32{1.0: clips["LJ001-0008"].Samples(), 4.0: clips["LJ001-0006"].Samples()})
	refs := []string{clips["LJ001-0004"].Reference + " " + clips["LJ001-0002"].Reference,
		clips["LJ001-0008"].Reference + " " + clips["LJ001-0006"].Reference}

	raw := runSDK(t, python, "live.py", map[string]any{
		"base_url": srv.URL, "api_key": keys["stream"], "audio": writeFile(t, "call.raw", linear16(ch0, ch1)),
		"sample_rate": 16000, "channels": 2, "finalize_at": []float64{9.9}, "keepalive_at": []float64{11},
		"params": map[string]any{"model": "nova-3", "encoding": "linear16", "sample_rate": 16000, "channels": 2,
			"multichannel": "true", "interim_results": "true", "utterance_end_ms": 1000, "vad_events": "true",
			"punctuate": "true", "smart_format": "true", "endpointing": 300, "language": "en-US", "tag": "sdk-test"},
	})
	var out liveOutput
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("%v: %s", err, raw)
	}
	m := decodeLive(t, out, pythonClasses)
	checkLive(t, m, out, refs)
	if len(m.metadata) == 1 && (m.metadata[0].Channels != 2 || m.metadata[0].Duration < 11.9) {
		t.Errorf("Metadata: %+v", m.metadata[0])
	}

	// The stream was a call: listed, and its finals stored as its transcript.
	requestID := m.results[0].Metadata.RequestID
	var calls struct {
		Calls []struct {
			CallID string `json:"call_id"`
			Key    string `json:"key"`
			Source string `json:"source"`
		} `json:"calls"`
	}
	status, body, _ := request(t, "GET", srv.URL+"/v1/calls", "Bearer "+keys["read"])
	if err := json.Unmarshal([]byte(body), &calls); status != 200 || err != nil {
		t.Fatalf("GET /v1/calls: %d %v %s", status, err, body)
	}
	callID := ""
	for _, c := range calls.Calls {
		if c.Key == requestID && c.Source == "deepgram" {
			callID = c.CallID
		}
	}
	if callID == "" {
		t.Fatalf("no deepgram call with request_id %s in %s", requestID, body)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		status, body, _ = request(t, "GET", srv.URL+"/v1/calls/"+callID+"/transcript?format=text", "Bearer "+keys["read"])
		if status == 200 || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if status != 200 || !strings.Contains(body, "[ch1") || !strings.Contains(body, "[ch0") {
		t.Errorf("stored transcript: %d %s", status, body)
	}
}

// checkLive checks a two-channel live stream's messages: interim and
// final results on both channels, speech_final on channel 0's first
// utterance and UtteranceEnd after it, from_finalize on what the Finalize
// cut, SpeechStarted, WER, and Metadata last, then a normal close.
func checkLive(t *testing.T, m liveMessages, out liveOutput, refs []string) {
	t.Helper()
	if len(out.Errors) > 0 || out.Close.Code != 1000 {
		t.Errorf("SDK errors %q, close %d %q", out.Errors, out.Close.Code, out.Close.Reason)
	}
	if len(m.metadata) != 1 || m.order[len(m.order)-1] != "Metadata" {
		t.Errorf("want one Metadata, last: %q", m.order)
	}
	interims, speechFinal, fromFinalize := map[int]int{}, map[int]int{}, map[int]int{}
	var firstSpeechFinalEnd float64
	for _, r := range m.results {
		c := r.ChannelIndex[0]
		if len(r.ChannelIndex) != 2 || r.ChannelIndex[1] != 2 || r.Metadata.RequestID == "" ||
			!strings.Contains(r.Metadata.ModelInfo.Served, "nova-3") {
			t.Errorf("result channel_index %v, metadata %+v", r.ChannelIndex, r.Metadata)
		}
		alt := r.Channel.Alternatives[0]
		switch {
		case !r.IsFinal:
			interims[c]++
		case r.SpeechFinal:
			speechFinal[c]++
			if c == 0 && firstSpeechFinalEnd == 0 {
				firstSpeechFinalEnd = r.Start + r.Duration
			}
		}
		if r.FromFinalize {
			fromFinalize[c]++
		}
		if r.IsFinal && alt.Transcript != "" && (len(alt.Words) == 0 || alt.Words[0].PunctuatedWord == "") {
			t.Errorf("a final without punctuated words: %+v", alt)
		}
	}
	for c := range 2 {
		if interims[c] == 0 {
			t.Errorf("channel %d: no interim results", c)
		}
		r := wer.Compute(refs[c], m.finalsText(c))
		t.Logf("channel %d: %d interims, %d speech_final, %d from_finalize; %v\n  %s", c, interims[c], speechFinal[c], fromFinalize[c], r, m.finalsText(c))
		if r.WER > 0.12 {
			t.Errorf("channel %d: WER %.3f > 0.12\nref: %s\nhyp: %s", c, r.WER, refs[c], m.finalsText(c))
		}
	}
	if speechFinal[0] == 0 || fromFinalize[0] == 0 {
		t.Errorf("channel 0: %d speech_final, %d from_finalize results", speechFinal[0], fromFinalize[0])
	}
	ended := false
	for _, u := range m.ends {
		if u.Channel[0] == 0 && u.LastWordEnd <= firstSpeechFinalEnd+0.01 && u.LastWordEnd > 4 {
			ended = true
		}
	}
	if !ended {
		t.Errorf("no UtteranceEnd on channel 0 after its first utterance (ended %.2f): %+v", firstSpeechFinalEnd, m.ends)
	}
	if len(m.starts) < 2 {
		t.Errorf("SpeechStarted: %+v", m.starts)
	}
}

// TestDeepgramPythonSDKFile transcribes a two-channel WAV with the Python
// SDK's listen.v1.media.transcribe_file (multichannel, utterances): the
// response parses into the SDK's ListenV1Response, with each channel's
// transcript within the WER bound and utterances of both channels. A
// request for a URL is refused with 400, since the server fetches none by
// default.
func TestDeepgramPythonSDKFile(t *testing.T) {
	python := sdkTool(t, "CALLSCRIBE_DEEPGRAM_PYTHON", "venv/bin/python")
	srv := serveInProcess(t, testServeConfig(t))
	clips := corpus(t)
	wav := writeWAV(t, "call.wav", 16000, codec.FormatPCM16, clips["LJ001-0004"].Samples(), clips["jfk"].Samples())
	raw := runSDK(t, python, "file.py", map[string]any{"base_url": srv.URL, "audio": wav,
		"params": map[string]any{"model": "nova-2", "multichannel": true, "utterances": true, "punctuate": true}})
	var out struct {
		Response sdkMessage `json:"response"`
		URLError *struct {
			Status int            `json:"status"`
			Body   map[string]any `json:"body"`
		} `json:"url_error"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("%v: %s", err, raw)
	}
	checkFileResponse(t, out.Response, "ListenV1Response", []string{clips["LJ001-0004"].Reference, clips["jfk"].Reference}, true)
	if out.URLError == nil || out.URLError.Status != 400 || out.URLError.Body["err_code"] != "REMOTE_CONTENT_ERROR" {
		t.Errorf("a URL request: %+v, want 400 REMOTE_CONTENT_ERROR", out.URLError)
	}
}

// checkFileResponse checks a file's response as an SDK parsed it, with
// utterances of every channel if they were asked for.
func checkFileResponse(t *testing.T, msg sdkMessage, class string, refs []string, utterances bool) {
	t.Helper()
	if msg.Class != class || !msg.Valid {
		t.Fatalf("the response reached the app as %s, valid %v (want %s): %s\n%s", msg.Class, msg.Valid, class, msg.Error, msg.Data)
	}
	var resp deepgram.Response
	if err := json.Unmarshal(msg.Data, &resp); err != nil {
		t.Fatal(err)
	}
	if resp.Metadata.Channels != len(refs) || len(resp.Results.Channels) != len(refs) || len(resp.Metadata.Models) != 1 {
		t.Fatalf("metadata %+v, %d channels", resp.Metadata, len(resp.Results.Channels))
	}
	for c, ref := range refs {
		got := resp.Results.Channels[c].Alternatives[0].Transcript
		r := wer.Compute(ref, got)
		t.Logf("channel %d: %v: %s", c, r, got)
		if r.WER > 0.12 {
			t.Errorf("channel %d: WER %.3f > 0.12\nref: %s\nhyp: %s", c, r.WER, ref, got)
		}
	}
	seen := map[int]bool{}
	for _, u := range resp.Results.Utterances {
		seen[u.Channel] = true
		if u.Transcript == "" || len(u.Words) == 0 || u.End <= u.Start {
			t.Errorf("utterance %+v", u)
		}
	}
	if utterances && len(seen) != len(refs) || !utterances && len(seen) > 0 {
		t.Errorf("utterances of channels %v", seen)
	}
}
