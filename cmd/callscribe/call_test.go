package main

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/bridge/twilio"
	"github.com/callscribe/callscribe/bridge/twilio/twiliotest"
	"github.com/callscribe/callscribe/bridge/twilio/wire"
	"github.com/callscribe/callscribe/codec"
	"github.com/callscribe/callscribe/transcribe/wer"
)

// TestTwilioTwoTrackCall plays a two-track call through the Twilio protocol
// in real time: the caller (a female reader) and the agent (a male voice)
// take turns, with pauses and some overlap. It checks the finals
// per track, their times, the partials, call.ended and webhook delivery.
func TestTwilioTwoTrackCall(t *testing.T) {
	srv, crm := startService(t, 2*time.Second)
	clips := corpus(t)
	samples := map[string][]float32{}
	refs := map[string]string{}
	for name, c := range clips {
		samples[name], refs[name] = c.Samples(), c.Reference
	}
	agentLines(t, samples, refs)
	// The caller is the LJ Speech reader; the agent is Piper's "joe" voice,
	// quoting Kennedy once. Turns overlap twice.
	call := []placement{
		{wire.TrackInbound, "LJ001-0002", 0.5},
		{wire.TrackOutbound, "agent-1", 3.0},
		{wire.TrackOutbound, "agent-2", 7.0},
		{wire.TrackInbound, "LJ001-0004", 13.0},
		{wire.TrackOutbound, "jfk", 19.0},
		{wire.TrackInbound, "LJ001-0001", 26.0}, // over the end of the quote
		{wire.TrackOutbound, "agent-3", 31.5},   // over the caller
		{wire.TrackOutbound, "agent-4", 37.0},
		{wire.TrackInbound, "LJ001-0008", 40.5},
	}
	tracks := layTracks(t, samples, call)

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	client, err := twiliotest.Dial(ctx, wsURL(srv, "/v1/twilio"), twiliotest.StreamInfo{
		AccountSID: "AC0001", CallSID: "CA0001", StreamSID: "MZ0001",
		Tracks:           []wire.Track{wire.TrackInbound, wire.TrackOutbound},
		CustomParameters: map[string]string{twilio.ParamTranscripts: "true"},
	})
	if err != nil {
		t.Fatal(err)
	}
	back := readBack(client.Conn())
	if err := client.Begin(); err != nil {
		t.Fatal(err)
	}
	if err := client.Play(ctx, twiliotest.PlayOptions{},
		twiliotest.TrackAudio{Track: wire.TrackInbound, Audio: telephone(t, tracks[wire.TrackInbound])},
		twiliotest.TrackAudio{Track: wire.TrackOutbound, Audio: telephone(t, tracks[wire.TrackOutbound])}); err != nil {
		t.Fatal(err)
	}
	if err := client.SendStop(); err != nil {
		t.Fatal(err)
	}
	evs := <-back
	client.Close()
	checkStream(t, evs)
	if len(evs) == 0 || evs[0].Type != event.CallStarted {
		t.Fatalf("the stream's first event is not call.started: %+v", evs)
	}
	// call.ended comes after the reconnect grace period, when this socket
	// is gone: read it where an agent desktop would, from the call's event
	// subscription, which replays the finals first.
	ended := callEnded(t, srv, evs[0].CallID)
	for _, tr := range []wire.Track{wire.TrackInbound, wire.TrackOutbound} {
		finals := finalsByTrack(evs, string(tr))
		var ref []string
		for _, p := range call {
			if p.track == tr {
				ref = append(ref, refs[p.clip])
			}
		}
		r := wer.Compute(strings.Join(ref, " "), joinText(finals))
		t.Logf("%s: %d finals, %v", tr, len(finals), r)
		for _, f := range finals {
			t.Logf("  %s %.2f..%.2f s, %d ms: %s", f.UtteranceID, f.Start, f.End, f.LatencyMS, f.Text)
		}
		if r.WER > 0.12 {
			t.Errorf("%s: WER %.3f > 0.12\nref: %s\nhyp: %s", tr, r.WER, strings.Join(ref, " "), joinText(finals))
		}
		truth := speechRegions(tracks[tr])
		for _, f := range finals {
			if ds, de := nearest(f.Start, truth, 0), nearest(f.End, truth, 1); ds > 0.5 || de > 0.5 {
				t.Errorf("%s %s: %.2f..%.2f is %.2f s / %.2f s from the nearest true start / end (%q)", tr, f.UtteranceID, f.Start, f.End, ds, de, f.Text)
			}
			if f.LatencyMS <= 0 {
				t.Errorf("%s: latency %d ms", f.UtteranceID, f.LatencyMS)
			}
		}
	}
	if ended == nil {
		t.Fatal("no call.ended")
	}
	var lat []float64
	for _, e := range evs {
		if e.Type == event.Transcript && e.IsFinal {
			lat = append(lat, float64(e.LatencyMS))
		}
	}
	sort.Float64s(lat)
	t.Logf("final latency over %d finals (end of speech to the event leaving): p50 %.0f ms, p95 %.0f ms, max %.0f ms",
		len(lat), percentile(lat, 0.5), percentile(lat, 0.95), lat[len(lat)-1])
	var all []event.Event
	for _, tr := range []string{"inbound", "outbound"} {
		all = append(all, finalsByTrack(evs, tr)...)
	}
	if len(ended.Transcript) != len(all) {
		t.Errorf("call.ended carries %d utterances, the stream had %d finals", len(ended.Transcript), len(all))
	}
	for i := 1; i < len(ended.Transcript); i++ {
		if ended.Transcript[i].Start < ended.Transcript[i-1].Start {
			t.Errorf("call.ended transcript out of time order at %d", i)
		}
	}
	// Every final reaches the CRM, signed.
	deadline := time.Now().Add(time.Minute)
	for len(crm.finals()) < len(all) && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	if got := len(crm.finals()); got != len(all) || crm.bad > 0 {
		t.Errorf("webhooks: %d of %d finals delivered, %d bad signatures", got, len(all), crm.bad)
	}
}

// checkStream checks the order rules of one stream's events: seq increases,
// partials come before their final and their stable text only grows.
func checkStream(t *testing.T, evs []event.Event) {
	t.Helper()
	var seq uint64
	stable := map[string]string{}
	final := map[string]bool{}
	partials := 0
	for _, e := range evs {
		if e.Seq <= seq {
			t.Errorf("seq %d after %d", e.Seq, seq)
		}
		seq = e.Seq
		if e.Type != event.Transcript {
			continue
		}
		if final[e.UtteranceID] {
			t.Errorf("%s: event after its final: %+v", e.UtteranceID, e)
		}
		if e.IsFinal {
			final[e.UtteranceID] = true
			continue
		}
		partials++
		if !strings.HasPrefix(e.StableText, stable[e.UtteranceID]) {
			t.Errorf("%s: stable text %q retracts %q", e.UtteranceID, e.StableText, stable[e.UtteranceID])
		}
		stable[e.UtteranceID] = e.StableText
	}
	if partials == 0 || len(final) == 0 {
		t.Errorf("%d partials, %d finals", partials, len(final))
	}
}

// callEnded subscribes to a call's events from the start and returns its
// call.ended, checking the replayed finals on the way.
func callEnded(t *testing.T, srv *liveService, callID string) *event.Event {
	t.Helper()
	conn, resp, err := websocket.DefaultDialer.Dial(wsURL(srv, "/v1/calls/"+callID+"/events?partials=false&from_seq=1"), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	defer conn.Close()
	for {
		_ = conn.SetReadDeadline(time.Now().Add(time.Minute))
		var e event.Event
		if err := conn.ReadJSON(&e); err != nil {
			t.Fatalf("events subscription ended without call.ended: %v", err)
		}
		if e.CallID != callID {
			t.Fatalf("event of call %q on %q's subscription", e.CallID, callID)
		}
		if e.Type == event.CallEnded {
			return &e
		}
	}
}

// agentLines adds the agent's Piper lines (fixtures/calls, made by
// gen_agent.py) to samples and refs, resampled to 16 kHz with our codec.
func agentLines(t *testing.T, samples map[string][]float32, refs map[string]string) {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("..", "..", "fixtures", "calls", "agent-*.wav"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no agent fixtures: %v", err)
	}
	for _, p := range paths {
		a, err := codec.ReadWAVFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if a, err = a.Resampled(16000); err != nil {
			t.Fatal(err)
		}
		text, err := os.ReadFile(strings.TrimSuffix(p, ".wav") + ".txt")
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(p), ".wav")
		samples[name], refs[name] = a.Channels[0], strings.TrimSpace(string(text))
	}
}

// percentile returns the p-quantile of sorted values (nearest rank).
func percentile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}
