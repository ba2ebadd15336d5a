package twilio

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/bridge/timeline"
	"github.com/callscribe/callscribe/bridge/twilio/wire"
	"github.com/callscribe/callscribe/bridge/wsconn"
)

// session is one Media Streams connection: one stream of one call. It is
// the connection's wsconn.Handler; the skeleton reads, writes and closes.
type session struct {
	srv    *Server
	ws     *wsconn.Session
	log    *slog.Logger
	parser wire.Parser

	stream  bridge.Stream
	tracks  map[wire.Track]*trackPath
	guard   *timeline.RateGuard
	payload []byte
	bad     int
	// upgrade is the request the stream came in with, for Authorize;
	// release ends what Authorize granted.
	upgrade *http.Request
	release func()
}

func newSession(srv *Server, upgrade *http.Request) *session {
	return &session{srv: srv, upgrade: upgrade, tracks: map[wire.Track]*trackPath{}, guard: timeline.NewRateGuard(srv.cfg.RateGuard)}
}

// Open counts the stream; it starts with its start message.
func (s *session) Open(_ context.Context, ws *wsconn.Session) error {
	s.ws, s.log = ws, ws.Logger()
	s.srv.Stats.Streams.Add(1)
	return nil
}

// Message parses and handles one message.
func (s *session) Message(ctx context.Context, binary bool, data []byte) error {
	if binary {
		return s.badMessage(fmt.Errorf("%w: %d bytes", ErrBinaryFrame, len(data)))
	}
	msg, err := s.parser.Parse(data)
	if err != nil {
		return s.badMessage(err)
	}
	switch msg.Event {
	case wire.EventStart:
		return s.start(ctx, msg.Start)
	case wire.EventMedia:
		return s.media(msg.Media)
	case wire.EventDTMF:
		if s.stream == nil {
			return &wsconn.CloseError{Code: CloseOutOfOrder, Reason: ReasonMediaBeforeStart, Err: errors.New("dtmf before start")}
		}
		s.stream.Emit(event.Event{Type: event.DTMF, Track: string(msg.DTMF.Track), Digit: msg.DTMF.Digit})
	case wire.EventStop:
		return wsconn.ErrDone
	}
	return nil // connected, mark: nothing to do
}

// badMessage counts a message that cannot be used: one bad frame never
// ends a call, a stream of them does.
func (s *session) badMessage(err error) error {
	s.bad++
	s.srv.Stats.BadMessages.Add(1)
	if s.bad <= 3 {
		s.log.Warn("ignoring bad message", "err", err, "count", s.bad)
	}
	if s.bad > s.srv.cfg.MaxBadMessages {
		code, reason := CloseFor(err)
		return &wsconn.CloseError{Code: code, Reason: reason, Err: fmt.Errorf("%d bad messages, last: %w", s.bad, err)}
	}
	return nil
}

// Finish ends every track (their last utterances become finals) and tells
// the hub the stream ended, whatever ended it.
func (s *session) Finish(end wsconn.Ending) {
	if s.release != nil {
		defer s.release()
	}
	if s.stream == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.srv.cfg.CloseTimeout)
	defer cancel()
	for t, path := range s.tracks {
		if err := path.close(ctx); err != nil {
			s.log.Error("track did not finish", "track", t, "err", err)
		}
	}
	reason := endReason(end)
	s.stream.End(reason)
	s.log.Info("stream ended", "reason", reason)
}

// endReason is the stream's end reason for the hub (call.ended's
// end_reason when no stream follows).
func endReason(end wsconn.Ending) string {
	switch end.Kind {
	case wsconn.EndDone:
		return "stop"
	case wsconn.EndClosed:
		return "closed: " + end.Reason
	case wsconn.EndShutdown:
		return bridge.EndServerShutdown
	}
	return "disconnected"
}
