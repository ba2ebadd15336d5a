package webrtc

import (
	"context"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/bridge/rtpaudio"
	"github.com/callscribe/callscribe/bridge/webrtc/whiptest"
)

// TestSession runs one PCMU session end to end through a real pion peer
// connection: 3 s of audio with 5% loss and 2% reordering, sequence numbers
// and timestamps wrapping around, then DELETE. Every sample lands at its
// RTP time, the call and its track are as the query named them, and the
// final the track makes when it closes reaches the client on the data
// channel before DELETE answers.
func TestSession(t *testing.T) {
	ts := newTestServer(t, Config{})
	c := ts.dial(t, whiptest.Options{Codec: whiptest.PCMU,
		Query: url.Values{ParamTracks: {"agent"}, ParamLanguage: {"en"}}})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	played, err := c.Play(ctx, whiptest.Play{Ticks: 160, FirstSeq: 65500, FirstTimestamp: 1<<32 - 8000,
		Loss: 0.05, Reorder: 0.02, Seed: 1}, pcmu(150))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("played %+v", played)
	sink := func() *fakeSink {
		ts.hub.mu.Lock()
		defer ts.hub.mu.Unlock()
		if len(ts.hub.sinks) == 0 {
			return nil
		}
		return ts.hub.sinks[0]
	}
	eventually(t, 5*time.Second, "the track's audio arrives", func() bool {
		if s := sink(); s != nil {
			_, _, end := s.audio()
			return end >= 150*320-1000 // less what the resampler holds
		}
		return false
	})
	if code, err := c.Delete(ctx); err != nil || code != 200 {
		t.Fatalf("DELETE: %d, %v", code, err)
	}
	total, jumps, end := sink().audio()
	if total != 150*320 || end != 150*320 || !slices.Equal(jumps, []int64{0}) {
		t.Errorf("audio: %d samples to %d in runs from %v, want 3 s in one run from 0", total, end, jumps)
	}
	final := slices.IndexFunc(c.Seen(), func(e event.Event) bool { return e.IsFinal && e.Track == "agent" && e.Text == "last words" })
	if final < 0 {
		t.Errorf("the last final did not reach the data channel: %+v", c.Seen())
	}
	h := ts.hub
	h.mu.Lock()
	start, info := h.starts[0], h.tracks[0]
	h.mu.Unlock()
	if start.Source != "webrtc" || start.Key != start.StreamID || !slices.Equal(start.Tracks, []string{"agent"}) ||
		start.CustomParameters[ParamLanguage] != "en" {
		t.Errorf("stream start %+v", start)
	}
	if info.Track != "agent" || info.Language != "en" || !info.Partials {
		t.Errorf("track %+v", info)
	}
	if got := h.endReasons(); !slices.Equal(got, []string{ReasonStop}) {
		t.Errorf("end reasons %v", got)
	}
	if ts.srv.Live() != 0 {
		t.Errorf("%d sessions live after DELETE", ts.srv.Live())
	}
	if code, _ := c.Delete(ctx); code != 404 {
		t.Errorf("a second DELETE: %d, want 404", code)
	}
}

// fakeOpus decodes every payload to 20 ms of silence at 48 kHz and
// conceals with silence: the Opus path without libopus.
type fakeOpus struct{ concealed *int }

func (fakeOpus) Decode(dst []float32, _ []byte) ([]float32, error) {
	return append(dst, make([]float32, 960)...), nil
}
func (d fakeOpus) Conceal(dst []float32, n int, _ []byte) ([]float32, error) {
	*d.concealed += n
	return append(dst, make([]float32, n)...), nil
}
func (fakeOpus) Close() error { return nil }

// TestOpusTracks: two Opus tracks, named by the query, each decoded by a
// decoder of the factory, losses concealed by it; a Finalize message on the
// data channel reaches both tracks.
func TestOpusTracks(t *testing.T) {
	concealed := 0
	ts := newTestServer(t, Config{NewOpusDecoder: func() (rtpaudio.Decoder, error) { return fakeOpus{&concealed}, nil }})
	c := ts.dial(t, whiptest.Options{Tracks: 2, Query: url.Values{ParamTracks: {"caller,agent"}}})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	frame := []byte{31 << 3, 0, 0} // CELT, 20 ms
	payloads := make([][]byte, 100)
	for i := range payloads {
		payloads[i] = frame
	}
	if _, err := c.Play(ctx, whiptest.Play{Ticks: 960, Loss: 0.05, Seed: 3}, payloads, payloads); err != nil {
		t.Fatal(err)
	}
	eventually(t, 5*time.Second, "both tracks' audio arrives", func() bool {
		ts.hub.mu.Lock()
		sinks := slices.Clone(ts.hub.sinks)
		ts.hub.mu.Unlock()
		for _, s := range sinks {
			if _, _, end := s.audio(); end < 100*320-1000 {
				return false
			}
		}
		return len(sinks) == 2
	})
	if err := c.Send(`{"type":"Finalize"}`); err != nil {
		t.Fatal(err)
	}
	eventually(t, 2*time.Second, "Finalize reaches the tracks", func() bool {
		for _, s := range ts.hub.sinks {
			s.mu.Lock()
			n := s.finalize
			s.mu.Unlock()
			if n == 0 {
				return false
			}
		}
		return true
	})
	if code, err := c.Delete(ctx); err != nil || code != 200 {
		t.Fatalf("DELETE: %d, %v", code, err)
	}
	var labels []string
	for _, s := range ts.hub.sinks {
		labels = append(labels, s.info.Track)
		total, jumps, _ := s.audio()
		// The two tracks start together: their first packets arrive within
		// a scheduling delay of each other, even on a loaded machine.
		if len(jumps) != 1 || jumps[0] > 16*50 || total != 100*320 {
			t.Errorf("%s: %d samples in runs from %v", s.info.Track, total, jumps)
		}
	}
	if !slices.Equal(labels, []string{"caller", "agent"}) || concealed == 0 {
		t.Errorf("tracks %v, %d samples concealed", labels, concealed)
	}
}

// TestServerOpensChannel: a client whose offer negotiated data channels
// but opened none named transcripts gets one from the server, with the
// call's events on it.
func TestServerOpensChannel(t *testing.T) {
	ts := newTestServer(t, Config{DataChannelWait: 100 * time.Millisecond})
	c := ts.dial(t, whiptest.Options{Codec: whiptest.PCMU, OtherChannel: true})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := c.Play(ctx, whiptest.Play{Ticks: 160}, pcmu(25)); err != nil {
		t.Fatal(err)
	}
	ts.hub.mu.Lock()
	emit := ts.hub.sinks[0].emit
	ts.hub.mu.Unlock()
	emit(event.Event{Type: event.Transcript, Track: "audio0", UtteranceID: "u1", Text: "hello"})
	select {
	case e := <-c.Events():
		if e.Text != "hello" || e.Seq == 0 {
			t.Errorf("event %+v", e)
		}
	case <-ctx.Done():
		t.Fatal("no event on the server's transcripts channel")
	}
	if code, err := c.Delete(ctx); err != nil || code != 200 {
		t.Fatalf("DELETE: %d, %v", code, err)
	}
}

// TestNoDataChannel: without data channels the call still runs; its
// events go to subscribers and webhooks only.
func TestNoDataChannel(t *testing.T) {
	ts := newTestServer(t, Config{})
	c := ts.dial(t, whiptest.Options{Codec: whiptest.PCMU, NoDataChannel: true})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := c.Play(ctx, whiptest.Play{Ticks: 160}, pcmu(25)); err != nil {
		t.Fatal(err)
	}
	eventually(t, 5*time.Second, "the audio arrives", func() bool {
		ts.hub.mu.Lock()
		defer ts.hub.mu.Unlock()
		_, _, end := ts.hub.sinks[0].audio()
		return end >= 25*320-1000 // less what the resampler holds
	})
	if code, err := c.Delete(ctx); err != nil || code != 200 {
		t.Fatalf("DELETE: %d, %v", code, err)
	}
	ts.hub.mu.Lock()
	defer ts.hub.mu.Unlock()
	if ts.hub.subs != 0 || len(ts.hub.emitted) != 1 {
		t.Errorf("%d subscriptions, %d events", ts.hub.subs, len(ts.hub.emitted))
	}
	if _, _, end := ts.hub.sinks[0].audio(); end != 25*320 {
		t.Errorf("audio to %d", end)
	}
}

// TestVanishedPeer: a peer that stops answering without DELETE is ended
// once ICE gives up, its last final still produced.
func TestVanishedPeer(t *testing.T) {
	ts := newTestServer(t, Config{ICEDisconnectedTimeout: 300 * time.Millisecond, ICEFailedTimeout: 700 * time.Millisecond,
		ICEKeepalive: 100 * time.Millisecond})
	c := ts.dial(t, whiptest.Options{Codec: whiptest.PCMU})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := c.Play(ctx, whiptest.Play{Ticks: 160}, pcmu(25)); err != nil {
		t.Fatal(err)
	}
	c.Vanish()
	began := time.Now()
	eventually(t, 10*time.Second, "the vanished peer's session ends", func() bool { return ts.srv.Live() == 0 })
	t.Logf("session ended %v after the peer vanished", time.Since(began).Round(10*time.Millisecond))
	if got := ts.hub.endReasons(); !slices.Equal(got, []string{ReasonDisconnected}) {
		t.Errorf("end reasons %v", got)
	}
	ts.hub.mu.Lock()
	defer ts.hub.mu.Unlock()
	if !ts.hub.sinks[0].closed || len(ts.hub.emitted) != 1 {
		t.Errorf("sink closed %v, %d events", ts.hub.sinks[0].closed, len(ts.hub.emitted))
	}
}

// TestShutdownEndsSessions: Shutdown ends every session with
// server_shutdown; each still gets its last final on its data channel.
func TestShutdownEndsSessions(t *testing.T) {
	ts := newTestServer(t, Config{})
	clients := []*whiptest.Client{ts.dial(t, whiptest.Options{Codec: whiptest.PCMU}), ts.dial(t, whiptest.Options{Codec: whiptest.PCMU})}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for _, c := range clients {
		if _, err := c.Play(ctx, whiptest.Play{Ticks: 160}, pcmu(10)); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, 5*time.Second, "both tracks get audio", func() bool {
		ts.hub.mu.Lock()
		defer ts.hub.mu.Unlock()
		for _, s := range ts.hub.sinks {
			if total, _, _ := s.audio(); total == 0 {
				return false
			}
		}
		return true
	})
	if err := ts.srv.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if got := ts.hub.endReasons(); !slices.Equal(got, []string{bridge.EndServerShutdown, bridge.EndServerShutdown}) {
		t.Errorf("end reasons %v", got)
	}
	for _, c := range clients {
		eventually(t, 2*time.Second, "the last final reaches the client", func() bool {
			return slices.ContainsFunc(c.Seen(), func(e event.Event) bool { return e.IsFinal })
		})
	}
	if code, _, _ := post(t, ts.url, ContentTypeSDP, "v=0"); code != 400 {
		// a malformed offer is refused before the server's state is looked at
		t.Errorf("POST after shutdown: %d", code)
	}
}
