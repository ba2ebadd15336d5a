package main

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/bridge/twilio"
	"github.com/callscribe/callscribe/bridge/twilio/twiliotest"
	"github.com/callscribe/callscribe/bridge/twilio/wire"
)

// arrivals collects what the server sends back on every stream of one
// call, timed from the call's first audio frame.
type arrivals struct {
	mu     sync.Mutex
	began  time.Time
	events []Arrival
}

func (a *arrivals) start() {
	a.mu.Lock()
	a.began = time.Now()
	a.mu.Unlock()
}

func (a *arrivals) add(now time.Time, e event.Event) {
	a.mu.Lock()
	a.events = append(a.events, Arrival{At: now.Sub(a.began).Seconds(), Event: e})
	a.mu.Unlock()
}

func (a *arrivals) all() []Arrival {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.events
}

// stream is one media stream of a call, with a reader that records what
// the server sends until the socket closes.
type stream struct {
	client  *twiliotest.Client
	done    chan struct{} // closed when the reader ends
	readErr error         // why it ended; read after done
}

// dialStream opens a stream of callSID on url and starts its reader.
func dialStream(ctx context.Context, url, callSID, streamSID string, into *arrivals) (*stream, error) {
	client, err := twiliotest.Dial(ctx, url, twiliotest.StreamInfo{
		AccountSID: "ACbench", CallSID: callSID, StreamSID: streamSID,
		Tracks: []wire.Track{wire.TrackInbound, wire.TrackOutbound},
		// The bench reads the finals back on the stream, as a platform
		// that speaks the protocol does.
		CustomParameters: map[string]string{twilio.ParamTranscripts: "true"},
	})
	if err != nil {
		return nil, err
	}
	s := &stream{client: client, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		for {
			_, data, err := client.Conn().ReadMessage()
			if err != nil {
				s.readErr = err
				return
			}
			now := time.Now()
			var e event.Event
			if json.Unmarshal(data, &e) == nil {
				into.add(now, e)
			}
		}
	}()
	return s, nil
}

// play sends connected and start, then both tracks in real time.
func (s *stream) play(ctx context.Context, in, out []byte) error {
	if err := s.client.Begin(); err != nil {
		return err
	}
	return s.client.Play(ctx, twiliotest.PlayOptions{},
		twiliotest.TrackAudio{Track: wire.TrackInbound, Audio: in},
		twiliotest.TrackAudio{Track: wire.TrackOutbound, Audio: out})
}

// finish waits until the server closes the socket, drain passes or ctx
// ends, notes on res why and how the socket closed, and then closes it.
func (s *stream) finish(ctx context.Context, drain time.Duration, res *CallResult) {
	timer := time.NewTimer(drain)
	defer timer.Stop()
	select {
	case <-s.done:
		s.noteClose(res)
	case <-timer.C:
		res.Error = "drain timeout: the server kept the socket open"
	case <-ctx.Done():
		res.Error = ctx.Err().Error()
	}
	_ = s.client.Close()
	<-s.done
}

// drop closes the connection as a network failure would: no stop, no
// close frame. A refusal the server sent before is still noted on res.
// playErr is what playing the stream returned: when it failed, the server
// may have closed first, and the reader is given up to dropWait to take
// the close frame it sent before the bench closes its end (closing first
// raced it: a 1013 came out as a broken pipe).
func (s *stream) drop(res *CallResult, playErr error) {
	if playErr != nil {
		select {
		case <-s.done:
		case <-time.After(dropWait):
		}
	}
	_ = s.client.Conn().Close()
	<-s.done
	var ce *websocket.CloseError
	if errors.As(s.readErr, &ce) && ce.Code == websocket.CloseAbnormalClosure {
		return // the bench's own drop: the reader saw no close frame
	}
	s.noteClose(res)
}

// dropWait bounds how long drop waits for the reader after a failed play.
const dropWait = time.Second

// noteClose notes on res how the server closed the socket, once the
// reader has ended: a 1013 is a refusal.
func (s *stream) noteClose(res *CallResult) {
	var ce *websocket.CloseError
	if !errors.As(s.readErr, &ce) {
		return
	}
	res.CloseCode = ce.Code
	if ce.Code == websocket.CloseTryAgainLater {
		res.Refused = true
		res.Error = "closed 1013: " + ce.Text
	}
}
