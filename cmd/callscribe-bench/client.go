package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/bridge/twilio"
	"github.com/callscribe/callscribe/bridge/twilio/twiliotest"
	"github.com/callscribe/callscribe/bridge/twilio/wire"
	"github.com/callscribe/callscribe/fixtures/speech"
)

// Arrival is one event the server sent back, with when it arrived in
// seconds since the call's first audio frame was sent.
type Arrival struct {
	At    float64     `json:"at"`
	Event event.Event `json:"event"`
	// NoLatency marks text a peer never committed: it counts for WER,
	// not for latency.
	NoLatency bool `json:"no_latency,omitempty"`
}

// CallResult is what one call saw.
type CallResult struct {
	Index int `json:"index"`
	// Offset is when the call started, seconds after the run began.
	Offset  float64 `json:"offset"`
	Refused bool    `json:"refused,omitempty"`
	Error   string  `json:"error,omitempty"`
	// CloseCode is the code the server closed the socket with (0: none
	// seen, the socket was closed by the bench).
	CloseCode int       `json:"close_code,omitempty"`
	Events    []Arrival `json:"events,omitempty"`
}

// playCall dials url, plays call in real time, sends stop and collects what
// the server sends until it closes the socket or drain passes.
func playCall(ctx context.Context, url string, call Call, drain time.Duration, log *slog.Logger) CallResult {
	res := CallResult{Index: call.Index}
	in, err := speech.MuLaw8k(call.Tracks[caller], sampleRate)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	out, err := speech.MuLaw8k(call.Tracks[agent], sampleRate)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	// Every call gets its own call SID: a stream with the SID of a call
	// that ended within the server's grace period would continue it.
	id := fmt.Sprintf("%x%04d", time.Now().UnixNano(), call.Index)
	client, err := twiliotest.Dial(ctx, url, twiliotest.StreamInfo{
		AccountSID: "ACbench", CallSID: "CAbench" + id, StreamSID: "MZbench" + id,
		Tracks: []wire.Track{wire.TrackInbound, wire.TrackOutbound},
		// The bench reads the finals back on the stream, as a platform
		// that speaks the protocol does.
		CustomParameters: map[string]string{twilio.ParamTranscripts: "true"},
	})
	if err != nil {
		// A dial the bench itself cancelled is no refusal.
		res.Refused, res.Error = ctx.Err() == nil, err.Error()
		log.Warn("call refused at dial", "call", call.Index, "err", err)
		return res
	}
	conn := client.Conn()

	var (
		mu     sync.Mutex
		began  time.Time
		events []Arrival
	)
	readDone := make(chan error, 1)
	go func() {
		for {
			_, data, err := conn.ReadMessage()
			if err != nil {
				readDone <- err
				return
			}
			now := time.Now()
			var e event.Event
			if json.Unmarshal(data, &e) != nil {
				continue
			}
			mu.Lock()
			events = append(events, Arrival{At: now.Sub(began).Seconds(), Event: e})
			mu.Unlock()
		}
	}()
	// Closing the socket is what ends the reader, whichever way we leave.
	defer func() {
		_ = client.Close()
	}()

	mu.Lock()
	began = time.Now()
	mu.Unlock()
	playErr := client.Begin()
	if playErr == nil {
		playErr = client.Play(ctx, twiliotest.PlayOptions{},
			twiliotest.TrackAudio{Track: wire.TrackInbound, Audio: in},
			twiliotest.TrackAudio{Track: wire.TrackOutbound, Audio: out})
	}
	if playErr == nil {
		playErr = client.SendStop()
	}

	var readErr error
	timer := time.NewTimer(drain)
	defer timer.Stop()
	select {
	case readErr = <-readDone:
	case <-timer.C:
		res.Error = "drain timeout: the server kept the socket open"
	case <-ctx.Done():
		res.Error = ctx.Err().Error()
	}
	if readErr != nil {
		var ce *websocket.CloseError
		if errors.As(readErr, &ce) {
			res.CloseCode = ce.Code
			if ce.Code == websocket.CloseTryAgainLater {
				res.Refused = true
				res.Error = "closed 1013: " + ce.Text
			}
		}
	}
	if playErr != nil && res.Error == "" {
		res.Error = playErr.Error()
	}
	mu.Lock()
	res.Events = events
	mu.Unlock()
	if res.Error != "" {
		log.Warn("call ended with an error", "call", call.Index, "err", res.Error)
	}
	return res
}
