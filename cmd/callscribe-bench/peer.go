package main

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge/event"
)

// peerFrame is the audio per binary message sent to a peer.
const peerFrame = 100 * time.Millisecond

// peerQuiet is how long a peer may send nothing after the end of audio
// before its stream counts as done: a loaded peer takes seconds per pass.
const peerQuiet = 15 * time.Second

// peerSeconds reads a segment time that a peer may send as a number or
// as a string.
type peerSeconds float64

// UnmarshalJSON accepts 1.5 and "1.500".
func (s *peerSeconds) UnmarshalJSON(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	switch x := v.(type) {
	case float64:
		*s = peerSeconds(x)
	case string:
		f, err := strconv.ParseFloat(x, 64)
		if err != nil {
			return err
		}
		*s = peerSeconds(f)
	default:
		return fmt.Errorf("segment time %s", b)
	}
	return nil
}

// peerMessage is what a WhisperLive-protocol server sends.
type peerMessage struct {
	Message  string `json:"message"`
	Status   string `json:"status"`
	Segments []struct {
		Start     peerSeconds `json:"start"`
		End       peerSeconds `json:"end"`
		Text      string      `json:"text"`
		Completed bool        `json:"completed"`
	} `json:"segments"`
}

// playPeer streams both tracks of call to a WhisperLive-protocol server as
// two 16 kHz mono float32 streams, in real time, and returns the segments
// as events: each completed segment once, as a final, on its first
// arrival; segments still open at the end as finals that count for WER
// but not for latency; open segments on their way as partials.
func playPeer(ctx context.Context, url string, call Call, drain time.Duration, log *slog.Logger) CallResult {
	res := CallResult{Index: call.Index}
	began := time.Now()
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, track := range []string{caller, agent} {
		wg.Go(func() {
			evs, refused, err := peerTrack(ctx, url, fmt.Sprintf("bench-%x-%d-%s", began.UnixNano(), call.Index, track),
				call.Tracks[track], began, drain)
			for i := range evs {
				evs[i].Event.Track = track
			}
			mu.Lock()
			defer mu.Unlock()
			res.Events = append(res.Events, evs...)
			res.Refused = res.Refused || refused
			if err != nil && res.Error == "" {
				res.Error = track + ": " + err.Error()
				log.Warn("peer stream failed", "call", call.Index, "track", track, "err", err)
			}
		})
	}
	wg.Wait()
	return res
}

// peerTrack plays one track and collects its segments.
func peerTrack(ctx context.Context, url, uid string, samples []float32, began time.Time, drain time.Duration) ([]Arrival, bool, error) {
	conn, resp, err := websocket.DefaultDialer.DialContext(ctx, url, nil)
	if resp != nil && resp.Body != nil {
		resp.Body.Close()
	}
	if err != nil {
		return nil, ctx.Err() == nil, err
	}
	defer conn.Close()
	opts := map[string]any{"uid": uid, "language": "en", "task": "transcribe", "model": "tiny.en", "use_vad": false}
	if err := conn.WriteJSON(opts); err != nil {
		return nil, false, err
	}
	_ = conn.SetReadDeadline(time.Now().Add(time.Minute))
	for {
		var m peerMessage
		if err := conn.ReadJSON(&m); err != nil {
			return nil, false, fmt.Errorf("waiting for SERVER_READY: %w", err)
		}
		if m.Status == "WAIT" || m.Message == "DISCONNECT" {
			return nil, true, fmt.Errorf("server busy (%s%s)", m.Status, m.Message)
		}
		if m.Message == "SERVER_READY" {
			break
		}
	}
	_ = conn.SetReadDeadline(time.Time{})

	var (
		mu       sync.Mutex
		finals   []Arrival
		seen     = map[string]bool{}
		open     []Arrival // the latest open segments
		partials []Arrival
		last     = time.Now()
	)
	readDone := make(chan error, 1)
	go func() {
		for {
			var m peerMessage
			if err := conn.ReadJSON(&m); err != nil {
				readDone <- err
				return
			}
			at := time.Since(began).Seconds()
			mu.Lock()
			last = time.Now()
			if m.Message == "DISCONNECT" {
				mu.Unlock()
				readDone <- nil
				return
			}
			var nowOpen []Arrival
			for _, s := range m.Segments {
				key := strconv.FormatFloat(float64(s.Start), 'f', 2, 64)
				e := event.Event{Type: event.Transcript, UtteranceID: "seg-" + key, Text: s.Text,
					Start: float64(s.Start), End: float64(s.End), IsFinal: s.Completed}
				if !s.Completed {
					nowOpen = append(nowOpen, Arrival{At: at, Event: e})
					partials = append(partials, Arrival{At: at, Event: e})
					continue
				}
				if k := key + "|" + s.Text; !seen[k] {
					seen[k] = true
					finals = append(finals, Arrival{At: at, Event: e})
				}
			}
			if len(m.Segments) > 0 {
				open = nowOpen
			}
			mu.Unlock()
		}
	}()

	perFrame := int(sampleRate * peerFrame / time.Second)
	buf := make([]byte, 4*perFrame)
	start := time.Now()
	var sendErr error
	for step := 0; step*perFrame < len(samples); step++ {
		chunk := samples[step*perFrame : min((step+1)*perFrame, len(samples))]
		for i, v := range chunk {
			binary.LittleEndian.PutUint32(buf[4*i:], math.Float32bits(v))
		}
		if sendErr = conn.WriteMessage(websocket.BinaryMessage, buf[:4*len(chunk)]); sendErr != nil {
			break
		}
		if sendErr = sleep(ctx, time.Until(start.Add(time.Duration(step+1)*peerFrame))); sendErr != nil {
			break
		}
	}
	if sendErr == nil {
		sendErr = conn.WriteMessage(websocket.BinaryMessage, []byte("END_OF_AUDIO"))
	}
	// The server may never say it is done: wait until it has been quiet
	// for peerQuiet, or drain passes.
	deadline := time.Now().Add(drain)
	for {
		mu.Lock()
		quiet := time.Since(last)
		mu.Unlock()
		if quiet > peerQuiet || time.Now().After(deadline) || ctx.Err() != nil {
			break
		}
		select {
		case <-readDone:
			deadline = time.Now()
		case <-time.After(200 * time.Millisecond):
		}
	}
	_ = conn.Close()
	mu.Lock()
	defer mu.Unlock()
	out := append([]Arrival(nil), partials...)
	out = append(out, finals...)
	for _, a := range open {
		a.Event.IsFinal = true
		a.NoLatency = true
		out = append(out, a)
	}
	return out, false, sendErr
}
