package main

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/bridge/twilio/wire"
	"github.com/callscribe/callscribe/bridge/webrtc/whiptest"
	"github.com/callscribe/callscribe/codec"
	"github.com/callscribe/callscribe/codec/opus"
	"github.com/callscribe/callscribe/transcribe/wer"
)

// opusPackets encodes a 16 kHz track as a browser sends it: 48 kHz Opus,
// 20 ms packets, 32 kb/s, in-band FEC for the loss it expects.
func opusPackets(tb testing.TB, s []float32) [][]byte {
	tb.Helper()
	wide, err := codec.Resample(s, 16000, 48000)
	if err != nil {
		tb.Fatal(err)
	}
	enc, err := opus.NewEncoder(opus.EncoderConfig{FEC: true, LossPercent: 5})
	if err != nil {
		tb.Fatal(err)
	}
	defer enc.Close()
	var ps [][]byte
	for i := 0; i+960 <= len(wide); i += 960 {
		p, err := enc.Encode(nil, wide[i:i+960])
		if err != nil {
			tb.Fatal(err)
		}
		ps = append(ps, p)
	}
	return ps
}

// TestWebRTCCall plays the Twilio test's two-track call through WHIP: a
// pion peer connection negotiated with POST /v1/whip sends each track as
// Opus RTP in real time over loopback, losing 5% of the packets and
// reordering 2% (a fixed seed), with sequence numbers and timestamps that
// wrap. The finals, read from the transcripts data channel and from the
// call's event subscription, must match the speech within the Twilio
// test's WER bound and start and end within 0.5 s of the true speech.
func TestWebRTCCall(t *testing.T) {
	srv, crm := startService(t, 2*time.Second)
	clips := corpus(t)
	samples := map[string][]float32{}
	refs := map[string]string{}
	for name, c := range clips {
		samples[name], refs[name] = c.Samples(), c.Reference
	}
	agentLines(t, samples, refs)
	call := []placement{
		{wire.TrackInbound, "LJ001-0002", 0.5},
		{wire.TrackOutbound, "agent-1", 3.0},
		{wire.TrackOutbound, "agent-2", 7.0},
		{wire.TrackInbound, "LJ001-0004", 13.0},
		{wire.TrackOutbound, "jfk", 19.0},
		{wire.TrackInbound, "LJ001-0001", 26.0},
		{wire.TrackOutbound, "agent-3", 31.5},
		{wire.TrackOutbound, "agent-4", 37.0},
		{wire.TrackInbound, "LJ001-0008", 40.5},
	}
	tracks := layTracks(t, samples, call)
	label := map[wire.Track]string{wire.TrackInbound: "caller", wire.TrackOutbound: "agent"}

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	c, err := whiptest.Dial(ctx, srv.URL+"/v1/whip", whiptest.Options{Tracks: 2, Query: url.Values{"tracks": {"caller,agent"}}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	played, err := c.Play(ctx, whiptest.Play{Ticks: 960, Loss: 0.05, Reorder: 0.02, Seed: 20261205,
		FirstSeq: 64000, FirstTimestamp: 4_294_000_000},
		opusPackets(t, tracks[wire.TrackInbound]), opusPackets(t, tracks[wire.TrackOutbound]))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("sent (caller, agent): %+v", played)
	if code, err := c.Delete(ctx); err != nil || code != 200 {
		t.Fatalf("DELETE: %d, %v", code, err)
	}
	evs := c.Seen()
	checkStream(t, evs)
	if len(evs) == 0 || evs[0].Type != event.CallStarted || evs[0].Call == nil || evs[0].Call.Source != "webrtc" {
		t.Fatalf("the data channel's first event is not the call.started of a webrtc call: %+v", evs)
	}
	st := &srv.svc.webrtc.Stats
	t.Logf("server: %d packets dropped at a full queue, %d bad", st.DroppedPackets.Load(), st.BadPackets.Load())

	// call.ended comes after the grace period, on the call's subscription,
	// which replays the finals: they must be the data channel's.
	ended := callEnded(t, srv, evs[0].CallID)
	if ended == nil {
		t.Fatal("no call.ended")
	}
	var dcFinals []event.Event
	for _, tr := range []wire.Track{wire.TrackInbound, wire.TrackOutbound} {
		finals := finalsByTrack(evs, label[tr])
		dcFinals = append(dcFinals, finals...)
		var ref []string
		for _, p := range call {
			if p.track == tr {
				ref = append(ref, refs[p.clip])
			}
		}
		r := wer.Compute(strings.Join(ref, " "), joinText(finals))
		t.Logf("%s: %d finals, %v", label[tr], len(finals), r)
		worst := 0.0
		truth := speechRegions(tracks[tr])
		for _, f := range finals {
			ds, de := nearest(f.Start, truth, 0), nearest(f.End, truth, 1)
			worst = max(worst, ds, de)
			// Signed: the segmenter pads an utterance by 0.3 s each side.
			t.Logf("  %s %.2f..%.2f s (%+.2f/%+.2f s from the true start/end), %d ms: %s", f.UtteranceID, f.Start, f.End,
				signedNearest(f.Start, truth, 0), signedNearest(f.End, truth, 1), f.LatencyMS, f.Text)
			if ds > 0.5 || de > 0.5 {
				t.Errorf("%s %s: %.2f..%.2f is %.2f s / %.2f s from the nearest true start / end", label[tr], f.UtteranceID, f.Start, f.End, ds, de)
			}
		}
		t.Logf("%s: largest start/end error %.2f s", label[tr], worst)
		if r.WER > 0.12 {
			t.Errorf("%s: WER %.3f > 0.12\nref: %s\nhyp: %s", label[tr], r.WER, strings.Join(ref, " "), joinText(finals))
		}
	}
	if len(ended.Transcript) != len(dcFinals) {
		t.Errorf("call.ended carries %d utterances, the data channel had %d finals", len(ended.Transcript), len(dcFinals))
	}
	for _, f := range dcFinals {
		if !slices.ContainsFunc(ended.Transcript, func(u event.Utterance) bool { return u.UtteranceID == f.UtteranceID && u.Text == f.Text }) {
			t.Errorf("final %s (%q) is not in call.ended's transcript", f.UtteranceID, f.Text)
		}
	}
	deadline := time.Now().Add(time.Minute)
	for len(crm.finals()) < len(dcFinals) && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	if got := len(crm.finals()); got != len(dcFinals) {
		t.Errorf("webhooks: %d of %d finals delivered", got, len(dcFinals))
	}
}

// signedNearest returns x minus the nearest region edge (0: starts, 1:
// ends).
func signedNearest(x float64, regions [][2]float64, edge int) float64 {
	best := 0.0
	for i, r := range regions {
		if d := x - r[edge]; i == 0 || abs(d) < abs(best) {
			best = d
		}
	}
	return best
}

func abs(x float64) float64 { return max(x, -x) }

// TestWebRTCAuth: the WHIP routes need a stream key, like /v1/listen,
// except the preflights; refusals carry CORS headers so that a page can
// read them; a key holds a call slot for its session's life.
func TestWebRTCAuth(t *testing.T) {
	cfg := testServeConfig(t)
	keys := makeKeys(t, cfg, "stream", "read")
	cfg.MaxCallsPerKey = 1
	live := serveInProcess(t, cfg)
	endpoint := live.URL + "/v1/whip"
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	stream := http.Header{"Authorization": {"Bearer " + keys["stream"]}}

	for _, c := range []struct {
		name, method, authorization string
		status                      int
	}{
		{"POST without a credential", http.MethodPost, "", 401},
		{"POST with a read key", http.MethodPost, "Bearer " + keys["read"], 403},
		{"a preflight", http.MethodOptions, "", 204},
	} {
		code, _, h := request(t, c.method, endpoint, c.authorization)
		if code != c.status || h.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("%s: %d (CORS %q), want %d", c.name, code, h.Get("Access-Control-Allow-Origin"), c.status)
		}
	}
	c, err := whiptest.Dial(ctx, endpoint, whiptest.Options{Header: stream})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var refused *whiptest.RefusedError
	if _, err := whiptest.Dial(ctx, endpoint, whiptest.Options{Header: stream}); !errors.As(err, &refused) || refused.Status != 429 {
		t.Errorf("a second session past --max-calls-per-key: %v", err)
	}
	if code, _, _ := request(t, http.MethodDelete, c.Location, ""); code != 401 {
		t.Errorf("DELETE without a credential: %d", code)
	}
	if code, err := c.Delete(ctx); err != nil || code != 200 {
		t.Fatalf("DELETE: %d %v", code, err)
	}
	again, err := whiptest.Dial(ctx, endpoint, whiptest.Options{Header: stream})
	if err != nil {
		t.Fatalf("the key's slot did not come back: %v", err)
	}
	defer again.Close()
	if code, err := again.Delete(ctx); err != nil || code != 200 {
		t.Fatalf("DELETE: %d %v", code, err)
	}
}
