package twiliotest

import (
	"bytes"
	"context"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge/twilio/wire"
)

// recordingServer accepts one WebSocket and parses every text message it
// gets until the client goes away.
func recordingServer(t *testing.T) (url string, received <-chan []wire.Message) {
	t.Helper()
	out := make(chan []wire.Message, 1)
	upgrader := websocket.Upgrader{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := upgrader.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer conn.Close()
		var messages []wire.Message
		defer func() { out <- messages }()
		for {
			_, data, err := conn.ReadMessage()
			if err != nil {
				return
			}
			// Each message parsed on its own: the test keeps every payload.
			m, err := wire.ParseMessage(data)
			if err != nil {
				t.Errorf("server could not parse %s: %v", data, err)
				return
			}
			messages = append(messages, m)
		}
	}))
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http"), out
}

func dialTest(t *testing.T, url string) *Client {
	t.Helper()
	c, err := Dial(context.Background(), url, StreamInfo{
		AccountSID: "AC1", CallSID: "CA1", StreamSID: "MZ1",
		Tracks: []wire.Track{wire.TrackInbound, wire.TrackOutbound},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func ramp(n int, step byte) []byte {
	audio := make([]byte, n)
	for i := range audio {
		audio[i] = byte(i) * step
	}
	return audio
}

func TestClientPlaysAStream(t *testing.T) {
	url, received := recordingServer(t)
	c := dialTest(t, url)
	inbound, outbound := ramp(400, 3), ramp(320, 5) // 2.5 and 2 frames
	if err := c.Begin(); err != nil {
		t.Fatal(err)
	}
	err := c.Play(context.Background(), PlayOptions{Speed: math.Inf(1)},
		TrackAudio{wire.TrackInbound, inbound}, TrackAudio{wire.TrackOutbound, outbound})
	if err != nil {
		t.Fatal(err)
	}
	for _, send := range []func() error{func() error { return c.SendDTMF("#") }, c.SendStop, c.Close} {
		if err := send(); err != nil {
			t.Fatal(err)
		}
	}
	got := <-received

	wantEvents := "connected start media media media media media dtmf stop"
	var events []string
	for _, m := range got {
		events = append(events, string(m.Event))
	}
	if strings.Join(events, " ") != wantEvents {
		t.Fatalf("events = %v, want %s", events, wantEvents)
	}
	for i, m := range got[1:] {
		if m.SequenceNumber != int64(i+1) || m.StreamSID != "MZ1" {
			t.Errorf("message %d: sequence %d, stream %q", i+1, m.SequenceNumber, m.StreamSID)
		}
	}
	// Each track: chunks count from 1, timestamps follow the audio, and
	// the payloads put back together are the audio played.
	wantStamps := map[wire.Track][]int64{wire.TrackInbound: {0, 20, 40}, wire.TrackOutbound: {0, 20}}
	audio := map[wire.Track][]byte{}
	stamps := map[wire.Track][]int64{}
	for _, m := range got {
		if m.Event != wire.EventMedia {
			continue
		}
		md := m.Media
		if md.Chunk != int64(len(stamps[md.Track])+1) {
			t.Errorf("%s chunk %d out of order", md.Track, md.Chunk)
		}
		stamps[md.Track] = append(stamps[md.Track], md.TimestampMS)
		if audio[md.Track], err = md.AppendPayload(audio[md.Track]); err != nil {
			t.Fatal(err)
		}
	}
	for track, want := range wantStamps {
		if !equalInts(stamps[track], want) {
			t.Errorf("%s timestamps = %v, want %v", track, stamps[track], want)
		}
	}
	if !bytes.Equal(audio[wire.TrackInbound], inbound) || !bytes.Equal(audio[wire.TrackOutbound], outbound) {
		t.Error("payloads do not reassemble into the audio played")
	}
	if got[1].Start.CallSID != "CA1" || got[7].DTMF.Digit != "#" {
		t.Errorf("start %+v, dtmf %+v", got[1].Start, got[7].DTMF)
	}
}

func equalInts(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestClientPlayEndsWithContext(t *testing.T) {
	url, received := recordingServer(t)
	c := dialTest(t, url)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	// A second of audio in real time: the first frame goes out, then the
	// pause before the second sees the context is done.
	err := c.Play(ctx, PlayOptions{}, TrackAudio{wire.TrackInbound, make([]byte, 8000)})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Play = %v, want context.Canceled", err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if got := <-received; len(got) != 1 || got[0].Event != wire.EventMedia {
		t.Errorf("server got %d messages, want the one media frame", len(got))
	}
}

// A key press sent while Play runs must interleave as a whole message and
// take its own sequence number.
func TestClientSendsDuringPlay(t *testing.T) {
	url, received := recordingServer(t)
	c := dialTest(t, url)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := c.Play(context.Background(), PlayOptions{Speed: 100}, TrackAudio{wire.TrackInbound, make([]byte, 1600)}); err != nil {
			t.Error(err)
		}
	}()
	if err := c.SendDTMF("5"); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	got := <-received
	dtmf := 0
	for i, m := range got {
		if m.SequenceNumber != int64(i+1) {
			t.Errorf("message %d has sequence %d", i, m.SequenceNumber)
		}
		if m.Event == wire.EventDTMF {
			dtmf++
		}
	}
	if len(got) != 11 || dtmf != 1 {
		t.Errorf("got %d messages with %d key presses, want 10 media and 1 dtmf", len(got), dtmf)
	}
}

func TestDialReportsRefusal(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no", http.StatusForbidden)
	}))
	defer srv.Close()
	_, err := Dial(context.Background(), "ws"+strings.TrimPrefix(srv.URL, "http"), StreamInfo{})
	if err == nil || !strings.Contains(err.Error(), "403") {
		t.Errorf("Dial = %v, want a refusal naming 403", err)
	}
}
