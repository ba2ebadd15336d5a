package main

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/bridge/twilio"
	"github.com/callscribe/callscribe/bridge/twilio/twiliotest"
	"github.com/callscribe/callscribe/bridge/twilio/wire"
	"github.com/callscribe/callscribe/transcribe/wer"
)

// playTrack dials a stream, plays one inbound track in real time and
// returns the client; the caller decides how the stream ends.
func playTrack(t *testing.T, ctx context.Context, url, callSID, streamSID string, audio []float32) (*twiliotest.Client, <-chan []event.Event) {
	t.Helper()
	c, err := twiliotest.Dial(ctx, url, twiliotest.StreamInfo{AccountSID: "AC0002", CallSID: callSID, StreamSID: streamSID,
		CustomParameters: map[string]string{twilio.ParamTranscripts: "true"}})
	if err != nil {
		t.Fatal(err)
	}
	back := readBack(c.Conn())
	if err := c.Begin(); err != nil {
		t.Fatal(err)
	}
	if err := c.Play(ctx, twiliotest.PlayOptions{}, twiliotest.TrackAudio{Track: wire.TrackInbound, Audio: telephone(t, audio)}); err != nil {
		t.Fatal(err)
	}
	return c, back
}

// TestHangUpMidSentence drops the connection in the middle of a sentence,
// without a stop message: the words said so far still become a final, and
// the call still ends.
func TestHangUpMidSentence(t *testing.T) {
	srv, _ := startService(t, time.Second)
	clip := corpus(t)["LJ001-0001"]
	s := clip.Samples()
	cut := len(s) * 6 / 10 // "...differs from most if not from all the arts and crafts represented"
	audio := append(make([]float32, 8000), s[:cut]...)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c, back := playTrack(t, ctx, wsURL(srv, "/v1/twilio"), "CA-hangup", "MZ-hangup", audio)
	// A network drop: the TCP connection closes with no close frame.
	_ = c.Conn().UnderlyingConn().Close()
	evs := <-back
	if len(evs) == 0 || evs[0].Type != event.CallStarted {
		t.Fatalf("no call.started: %+v", evs)
	}
	ended := callEnded(t, srv, evs[0].CallID)
	if len(ended.Transcript) == 0 {
		t.Fatal("call.ended has no transcript")
	}
	got := ended.Transcript[len(ended.Transcript)-1].Text
	said := strings.Join(strings.Fields(clip.Reference)[:14], " ")
	if r := wer.Compute(said, got); r.WER > 0.25 {
		t.Errorf("final after hang-up: %q; said so far: %q (%v)", got, said, r)
	}
	if ended.Call == nil || !strings.Contains(ended.Call.EndReason, "disconnect") {
		t.Errorf("end reason: %+v", ended.Call)
	}
}

// TestReconnectContinuesCall drops a stream and reconnects with a new
// stream SID for the same call SID within the grace period: one call, one
// call.started, times in call time, no utterance twice.
func TestReconnectContinuesCall(t *testing.T) {
	srv, _ := startService(t, 3*time.Second)
	clips := corpus(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	pad := make([]float32, 8000)
	first := append(append(append([]float32{}, pad...), clips["LJ001-0002"].Samples()...), make([]float32, 16000)...)
	c1, back1 := playTrack(t, ctx, wsURL(srv, "/v1/twilio"), "CA-reconnect", "MZ-first", first)
	_ = c1.Conn().UnderlyingConn().Close()
	evs1 := <-back1
	second := append(append([]float32{}, pad...), clips["LJ001-0004"].Samples()...)
	c2, back2 := playTrack(t, ctx, wsURL(srv, "/v1/twilio"), "CA-reconnect", "MZ-second", second)
	if err := c2.SendStop(); err != nil {
		t.Fatal(err)
	}
	evs2 := <-back2
	c2.Close()
	if len(evs1) == 0 || len(evs2) == 0 {
		t.Fatalf("no events: %d, %d", len(evs1), len(evs2))
	}
	callID := evs1[0].CallID
	for _, e := range evs2 {
		if e.CallID != callID {
			t.Fatalf("reconnected stream reported call %q, want %q", e.CallID, callID)
		}
		if e.Type == event.CallStarted {
			t.Error("second call.started after a reconnect")
		}
	}
	ended := callEnded(t, srv, callID)
	seen := map[string]bool{}
	for _, u := range ended.Transcript {
		if seen[u.UtteranceID] {
			t.Errorf("utterance %s twice", u.UtteranceID)
		}
		seen[u.UtteranceID] = true
	}
	if len(ended.Transcript) != 2 {
		t.Fatalf("call.ended has %d utterances, want 2: %+v", len(ended.Transcript), ended.Transcript)
	}
	offset := float64(len(first)) / 16000
	if u := ended.Transcript[1]; u.Start < offset || u.Start > offset+1.5 {
		t.Errorf("second stream's utterance starts at %.2f s of call time, want just after %.2f", u.Start, offset)
	}
	if ended.Call == nil || ended.Call.Streams != 2 {
		t.Errorf("call info: %+v", ended.Call)
	}
}

// closeOf returns the close code and reason the server ended a stream with.
func closeOf(t *testing.T, conn *websocket.Conn) (int, string) {
	t.Helper()
	for {
		_ = conn.SetReadDeadline(time.Now().Add(30 * time.Second))
		if _, _, err := conn.ReadMessage(); err != nil {
			var ce *websocket.CloseError
			if errors.As(err, &ce) {
				return ce.Code, ce.Text
			}
			t.Fatalf("stream ended without a close frame: %v", err)
		}
	}
}

// TestBadStreamsLeaveOtherCallsAlone sends broken streams while a good
// call runs: each broken one is closed with its code and reason, and the
// good call's final still arrives.
func TestBadStreamsLeaveOtherCallsAlone(t *testing.T) {
	srv, _ := startService(t, time.Second)
	clips := corpus(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	url := wsURL(srv, "/v1/twilio")

	good := make(chan []event.Event, 1)
	go func() {
		audio := append(append(make([]float32, 8000), clips["LJ001-0002"].Samples()...), make([]float32, 16000)...)
		c, back := playTrack(t, ctx, url, "CA-good", "MZ-good", audio)
		_ = c.SendStop()
		good <- <-back
		c.Close()
	}()

	dial := func(info twiliotest.StreamInfo) *twiliotest.Client {
		c, err := twiliotest.Dial(ctx, url, info)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	cases := []struct {
		name string
		run  func(c *twiliotest.Client) error
		code int
	}{
		{"media before start", func(c *twiliotest.Client) error {
			return c.SendMedia(wire.TrackInbound, make([]byte, 160))
		}, twilio.CloseOutOfOrder},
		{"oversized message", func(c *twiliotest.Client) error {
			return c.SendRaw([]byte(`{"event":"media","media":{"payload":"` + strings.Repeat("A", 80<<10) + `"}}`))
		}, twilio.CloseMessageTooBig},
		{"flood faster than real time", func(c *twiliotest.Client) error {
			if err := c.Begin(); err != nil {
				return err
			}
			return c.Play(ctx, twiliotest.PlayOptions{Speed: 1000}, twiliotest.TrackAudio{Track: wire.TrackInbound, Audio: make([]byte, 8000*30)})
		}, twilio.CloseTooFast},
		{"garbage, then more garbage", func(c *twiliotest.Client) error {
			for i := 0; i < 60; i++ {
				if err := c.SendRaw([]byte(`{"event": "media", "media": {"payload": "!!"`)); err != nil {
					return err
				}
			}
			return nil
		}, twilio.CloseInvalidMessage},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := dial(twiliotest.StreamInfo{CallSID: "CA-" + tc.name, StreamSID: "MZ-bad"})
			defer c.Close()
			_ = tc.run(c) // the server may close mid-way; the close frame is what counts
			// gorilla/websocket answers an oversized message itself, with
			// 1009 and no reason; every other close carries one.
			if code, reason := closeOf(t, c.Conn()); code != tc.code || (reason == "" && code != twilio.CloseMessageTooBig) {
				t.Errorf("closed with %d %q, want %d and a reason", code, reason, tc.code)
			}
		})
	}
	t.Run("wrong media format", func(t *testing.T) {
		c := dial(twiliotest.StreamInfo{CallSID: "CA-l16", StreamSID: "MZ-l16",
			MediaFormat: wire.MediaFormat{Encoding: "audio/x-l16", SampleRate: 16000, Channels: 1}})
		defer c.Close()
		_ = c.Begin()
		if code, reason := closeOf(t, c.Conn()); code != twilio.CloseUnsupportedFormat || reason == "" {
			t.Errorf("closed with %d %q", code, reason)
		}
	})

	evs := <-good
	finals := finalsByTrack(evs, "inbound")
	if len(finals) != 1 || wer.Compute(clips["LJ001-0002"].Reference, finals[0].Text).WER > 0.2 {
		t.Errorf("the good call's finals: %+v", finals)
	}
}

// TestAdmissionRefusesPastMaxTracks runs a server that takes two tracks:
// one two-track call fills it, /readyz says so, and the next call is
// closed with 1013 and a reason, while the first goes on. Once the first
// call ends, a new call is admitted.
func TestAdmissionRefusesPastMaxTracks(t *testing.T) {
	_, addr := startChild(t, "--model", modelPath(t), "--vad-model", vadModelPath(t), "--data-dir", t.TempDir(),
		"--workers", "1", "--max-tracks", "2", "--grace", "1s", "--log-level", "warn")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	url := "ws://" + addr + "/v1/twilio"
	readyz := func() (int, int) {
		code, st := readReadyz(t, addr)
		return code, st.Tracks
	}
	waitTracks := func(want, status int) {
		t.Helper()
		for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			code, n := readyz()
			if n == want && code == status {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("readyz: %d with %d tracks, want %d with %d", code, n, status, want)
			}
		}
	}
	// Tracks open with the start message. A refused call may see its
	// socket closed before start is written; the close frame still tells.
	begin := func(sid string) *twiliotest.Client {
		c, err := twiliotest.Dial(ctx, url, twiliotest.StreamInfo{AccountSID: "AC7", CallSID: "CA-" + sid, StreamSID: "MZ-" + sid,
			Tracks: []wire.Track{wire.TrackInbound, wire.TrackOutbound}})
		if err != nil {
			t.Fatal(err)
		}
		_ = c.Begin()
		return c
	}

	first := begin("first")
	waitTracks(2, http.StatusServiceUnavailable)
	second := begin("second")
	if code, reason := closeOf(t, second.Conn()); code != twilio.CloseOverloaded || reason == "" {
		t.Errorf("second call closed with %d %q, want %d and a reason", code, reason, twilio.CloseOverloaded)
	}
	second.Close()
	if code, n := readyz(); n != 2 || code != http.StatusServiceUnavailable {
		t.Errorf("after the refusal: readyz %d with %d tracks, want the first call's 2", code, n)
	}
	if err := first.SendStop(); err != nil {
		t.Fatal(err)
	}
	first.Close()
	waitTracks(0, http.StatusOK)
	third := begin("third")
	defer third.Close()
	waitTracks(2, http.StatusServiceUnavailable)
}
