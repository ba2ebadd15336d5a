package call

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/bridge/wsconn"
)

// subscriberMaxMessage bounds what a subscriber may send: it has nothing
// to say but pongs and its close frame.
const subscriberMaxMessage = 4096

// serveWebSocket writes the subscription to a WebSocket, one JSON text
// message per event, on the session skeleton the transports share (pings
// every PingInterval on the hub's clock, a subscriber silent for PongWait
// given up). It closes with 1000 "call ended" after call.ended, 1013 with
// the from_seq to resume at when the subscriber was too slow, and 1001
// when the hub closes. The hub's subscriptions end when the hub closes, so
// the skeleton's own shutdown tracking is not needed: a server is made per
// request.
func (h *Hub) serveWebSocket(w http.ResponseWriter, r *http.Request, sub *Subscription) {
	srv, err := wsconn.NewServer(wsconn.Config{
		PingInterval: h.cfg.PingInterval, ReadTimeout: h.cfg.PongWait, WriteTimeout: h.cfg.WriteTimeout,
		MaxMessageBytes: subscriberMaxMessage, ReadBufferSize: 1024, WriteBufferSize: 4096,
		CheckOrigin: h.cfg.CheckOrigin, NormalReason: "call ended",
		Clock: h.clock, Logger: sub.call.log,
	}, nil)
	if err != nil {
		// The hub's Config was validated with the same bounds.
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	srv.Serve(w, r, &eventsSocket{sub: sub})
}

// eventsSocket is the events endpoint's side of a session: it forwards the
// subscription and drops what the client sends (reading is what processes
// its pongs and its close frame).
type eventsSocket struct{ sub *Subscription }

func (s *eventsSocket) Open(_ context.Context, ws *wsconn.Session) error {
	ws.Follow(wsconn.Feed{
		Source: subscriptionSource{s.sub},
		Encode: func(e event.Event) ([]byte, error) {
			data, err := json.Marshal(e)
			if err != nil {
				ws.Close(&wsconn.CloseError{Code: websocket.CloseInternalServerErr, Reason: "event not encodable", Err: err})
			}
			return data, err
		},
		Ended: func(err error) { ws.Close(s.closeFor(err)) },
	})
	return nil
}

func (*eventsSocket) Message(context.Context, bool, []byte) error { return nil }

func (*eventsSocket) Finish(wsconn.Ending) {}

// closeFor is the close frame for a subscription that ended with err.
func (s *eventsSocket) closeFor(err error) *wsconn.CloseError {
	switch {
	case errors.Is(err, io.EOF):
		return nil // 1000 "call ended"
	case errors.Is(err, ErrSlowSubscriber):
		return &wsconn.CloseError{Code: websocket.CloseTryAgainLater,
			Reason: fmt.Sprintf("slow subscriber: resume with from_seq=%d", s.sub.LastSeq()+1), Err: err}
	case errors.Is(err, ErrHubClosed):
		return &wsconn.CloseError{Code: websocket.CloseGoingAway, Reason: wsconn.ReasonShuttingDown, Err: err}
	}
	// The client is gone (a write failed): the frame is a formality.
	return &wsconn.CloseError{Code: websocket.CloseGoingAway, Reason: "subscription ended", Err: err}
}

// subscriptionSource is a Subscription as the skeleton's writer reads it.
type subscriptionSource struct{ sub *Subscription }

func (s subscriptionSource) Next(wake <-chan struct{}) (event.Event, error) {
	e, err := s.sub.next(context.Background(), wake)
	if errors.Is(err, errWoken) {
		return e, wsconn.ErrWoken
	}
	return e, err
}

func (s subscriptionSource) Close() { s.sub.Close() }
