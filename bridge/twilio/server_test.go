package twilio

import (
	"context"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/callscribe/callscribe/bridge/twilio/twiliotest"
	"github.com/callscribe/callscribe/bridge/twilio/wire"
)

// TestServerPingsIdleStreams holds a stream open without media, as a call
// on hold does: the server pings it, so a proxy's idle timeout never fires,
// and the audio that follows still flows.
func TestServerPingsIdleStreams(t *testing.T) {
	calls := newFakeCalls()
	srv, err := NewServer(Config{PingInterval: 20 * time.Millisecond}, calls, calls, nil)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := twiliotest.Dial(ctx, "ws"+strings.TrimPrefix(hs.URL, "http"), twiliotest.StreamInfo{CallSID: "CA1", StreamSID: "MZ1"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var pings atomic.Int64
	c.Conn().SetPingHandler(func(string) error { pings.Add(1); return nil })
	closed := make(chan struct{})
	go func() {
		defer close(closed)
		for {
			if _, _, err := c.Conn().ReadMessage(); err != nil {
				return
			}
		}
	}()
	if err := c.Begin(); err != nil {
		t.Fatal(err)
	}
	for pings.Load() < 3 {
		if ctx.Err() != nil {
			t.Fatalf("%d pings before the deadline", pings.Load())
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := c.Play(ctx, twiliotest.PlayOptions{Speed: 4}, twiliotest.TrackAudio{Track: wire.TrackInbound, Audio: make([]byte, 1600)}); err != nil {
		t.Fatal(err)
	}
	if err := c.SendStop(); err != nil {
		t.Fatal(err)
	}
	<-closed // the server closes the stream after stop
	if err := srv.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	// 1600 mu-law samples at 8 kHz are 3200 at 16 kHz, minus nothing: the
	// resampler's tail is flushed at stop.
	if got := calls.audio.Load(); got != 3200 {
		t.Errorf("sink received %d samples, want 3200", got)
	}
}
