package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
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

// TestNginxProxiesACall puts Debian's nginx, running the shipped
// deploy/nginx/callscribe.conf, in front of a real server (a child
// process started with --public-url and --trusted-proxies as deployed),
// with TLS ending at nginx. A call signed as Twilio signs it, over wss://
// to the public URL, gets its transcripts back through the proxy; forged
// and unsigned streams and a request without credentials are refused
// through it; and a Server-Sent Events subscription receives each final
// as the stream's own socket does, while the call is still going.
func TestNginxProxiesACall(t *testing.T) {
	bin := nginxBinary(t)
	clips := corpus(t)
	proxyAddr := freeAddr(t)
	public := "https://" + proxyAddr
	data := t.TempDir()
	keys := makeKeys(t, ServeConfig{DataDir: data}, "read")
	_, backend := startChild(t, "--model", modelPath(t), "--vad-model", vadModelPath(t), "--data-dir", data,
		"--workers", "2", "--log-level", "warn", "--grace", "1s",
		"--twilio-auth-token", twilioToken, "--public-url", public, "--trusted-proxies", "127.0.0.1/32")
	proxy := startNginx(t, bin, proxyAddr, backend)
	// A proxy that buffers holds even the event stream's headers back:
	// that fails here, not as a stalled call.
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: proxy.tls, ResponseHeaderTimeout: 5 * time.Second}}
	dialer := &websocket.Dialer{TLSClientConfig: proxy.tls, HandshakeTimeout: 10 * time.Second}
	streamURL := "wss://" + proxyAddr + "/v1/twilio"

	for _, c := range []struct {
		path   string
		status int
	}{
		{"/healthz", 200},
		{"/v1/calls", 401}, // no credential
		{"/metrics", 404},  // kept off the public side
	} {
		resp, err := client.Get(public + c.path)
		if err != nil {
			t.Fatalf("GET %s through nginx: %v", c.path, err)
		}
		resp.Body.Close()
		if resp.StatusCode != c.status {
			t.Errorf("GET %s through nginx: %d, want %d", c.path, resp.StatusCode, c.status)
		}
	}

	// A signature made with another token is refused before the upgrade,
	// by the server (its JSON reason comes through).
	forged := http.Header{"X-Twilio-Signature": {twiliotest.Sign("not-the-token", streamURL)}}
	if _, resp, err := dialer.Dial(streamURL, forged); resp == nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a forged signature through nginx: %v, want 401", err)
	} else {
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(body), "Twilio signature") {
			t.Errorf("a forged signature through nginx: 401 %q, not the server's reason", body)
		}
	}
	// An unsigned stream without a key is closed on start.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	anon := dialStream(ctx, t, dialer, streamURL, twiliotest.StreamInfo{CallSID: "CA-anon", StreamSID: "MZ-anon"})
	if err := anon.Begin(); err != nil {
		t.Fatal(err)
	}
	if ce, _ := closeFrame(t, anon.Conn(), 10*time.Second); ce.Code != twilio.CloseUnauthorized {
		t.Errorf("an unsigned stream through nginx: %d %q, want %d", ce.Code, ce.Text, twilio.CloseUnauthorized)
	}

	// The call: two sentences with a pause, so the first final is out while
	// the second is still being played.
	first, second := clips["LJ001-0004"], clips["LJ001-0008"]
	audio := concat(make([]float32, 8000), first.Samples(), make([]float32, 48000), second.Samples(), make([]float32, 24000))
	stream := dialStream(ctx, t, dialer, streamURL, twiliotest.StreamInfo{AccountSID: "AC1", CallSID: "CA-nginx",
		StreamSID: "MZ-nginx", AuthToken: twilioToken, CustomParameters: map[string]string{twilio.ParamTranscripts: "true"}})
	back := arrivals(func() ([]byte, error) { _, b, err := stream.Conn().ReadMessage(); return b, err })
	if err := stream.Begin(); err != nil {
		t.Fatal(err)
	}
	law := telephone(t, audio)
	played := make(chan time.Time, 1)
	go func() {
		if err := stream.Play(ctx, twiliotest.PlayOptions{}, twiliotest.TrackAudio{Track: wire.TrackInbound, Audio: law}); err != nil {
			t.Errorf("playing the call: %v", err)
		}
		played <- time.Now()
	}()

	// Subscribe as a CRM dashboard would, once the call has an id.
	var socket []arrival
	select {
	case a := <-back:
		socket = append(socket, a)
	case <-ctx.Done():
		t.Fatal("no event on the stream's socket")
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, public+"/v1/calls/"+socket[0].e.CallID+"/events", nil)
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Authorization", "Bearer "+keys["read"])
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("event stream through nginx: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	lines := bufio.NewScanner(resp.Body)
	sse := arrivals(func() ([]byte, error) {
		for lines.Scan() {
			if data, ok := strings.CutPrefix(lines.Text(), "data: "); ok {
				return []byte(data), nil
			}
		}
		return nil, io.EOF
	})

	endedPlay := <-played
	if err := stream.SendStop(); err != nil {
		t.Fatal(err)
	}
	socket = append(socket, collect(ctx, back)...)
	events := collect(ctx, sse) // ends after call.ended

	var finals []arrival
	for _, a := range socket {
		if a.e.Type == event.Transcript && a.e.IsFinal && a.e.Text != "" {
			finals = append(finals, a)
		}
	}
	if len(finals) == 0 {
		t.Fatalf("no final came back through nginx (%d events)", len(socket))
	}
	var said []string
	for _, f := range finals {
		said = append(said, f.e.Text)
	}
	score := wer.Compute(first.Reference+" "+second.Reference, strings.Join(said, " "))
	t.Logf("finals through nginx: %q, %s", said, score)
	if score.WER > 0.3 {
		t.Errorf("transcripts through nginx: %s", score)
	}

	bySeq := map[uint64]arrival{}
	for _, a := range events {
		bySeq[a.e.Seq] = a
	}
	if len(events) == 0 || events[len(events)-1].e.Type != event.CallEnded {
		t.Errorf("the event stream through nginx did not end with call.ended (%d events)", len(events))
	}
	for i, f := range finals {
		s, ok := bySeq[f.e.Seq]
		switch {
		case !ok:
			t.Errorf("final %s never came through the event stream", f.e.UtteranceID)
		case s.at.Sub(f.at).Abs() > time.Second:
			// Buffered, it would come out in a lump at the end.
			t.Errorf("final %s: %v apart on the event stream and the call's socket", f.e.UtteranceID, s.at.Sub(f.at))
		case i == 0 && !s.at.Before(endedPlay):
			t.Errorf("the first final reached the event stream only after the call's audio ended")
		}
	}
}

// arrival is an event and when the test received it.
type arrival struct {
	e  event.Event
	at time.Time
}

// arrivals reads messages with next until it fails, stamping each event
// as it arrives, into a channel closed at the end.
func arrivals(next func() ([]byte, error)) <-chan arrival {
	out := make(chan arrival, 1024)
	go func() {
		defer close(out)
		for {
			data, err := next()
			if err != nil {
				return
			}
			var e event.Event
			if json.Unmarshal(data, &e) == nil {
				out <- arrival{e: e, at: time.Now()}
			}
		}
	}()
	return out
}

// collect collects what ch delivers until it closes or ctx ends.
func collect(ctx context.Context, ch <-chan arrival) []arrival {
	var all []arrival
	for {
		select {
		case a, ok := <-ch:
			if !ok {
				return all
			}
			all = append(all, a)
		case <-ctx.Done():
			return all
		}
	}
}

// dialStream opens a Media Stream through the proxy on d, which trusts
// the test's certificate.
func dialStream(ctx context.Context, t *testing.T, d *websocket.Dialer, url string, info twiliotest.StreamInfo) *twiliotest.Client {
	t.Helper()
	c, err := twiliotest.DialWith(ctx, d, url, info)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// concat joins signals.
func concat(parts ...[]float32) []float32 {
	var out []float32
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}
