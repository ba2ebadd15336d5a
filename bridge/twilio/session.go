package twilio

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/bridge/timeline"
	"github.com/callscribe/callscribe/bridge/wsconn"
)

// session is one Media Streams connection: one stream of one call. Its read
// loop runs on the HTTP handler's goroutine; a writer goroutine owns all
// writes to the socket (gorilla allows one writer at a time).
type session struct {
	srv    *Server
	conn   *websocket.Conn
	log    *slog.Logger
	parser Parser

	stream  bridge.Stream
	tracks  map[Track]*trackPath
	guard   *timeline.RateGuard
	writer  *wsconn.Writer
	payload []byte
	bad     int
	ended   string // why the stream ended, once it did
}

func newSession(srv *Server, conn *websocket.Conn) *session {
	return &session{srv: srv, conn: conn, log: srv.log, tracks: map[Track]*trackPath{},
		guard: timeline.NewRateGuard(srv.cfg.RateGuard)}
}

// closeError ends a stream with a code and reason for the peer.
type closeError struct {
	code   int
	reason string
	err    error
}

func (e *closeError) Error() string { return fmt.Sprintf("%s (%d): %v", e.reason, e.code, e.err) }
func (e *closeError) Unwrap() error { return e.err }

func (s *session) run(parent context.Context) {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	s.conn.SetReadLimit(MaxMessageBytes)
	s.writer = wsconn.NewWriter(s.conn, s.srv.cfg.PingInterval, s.log)
	go s.writer.Run(ctx)
	s.conn.SetPongHandler(func(string) error { return s.extendDeadline() })
	// Unblock the read loop when the server shuts down.
	stop := context.AfterFunc(ctx, func() { _ = s.conn.SetReadDeadline(time.Now()) })
	defer stop()

	err := s.readLoop(ctx)
	code, reason := CloseStreamStopped, ReasonStreamStopped
	var ce *closeError
	switch {
	case errors.As(err, &ce):
		code, reason = ce.code, ce.reason
		s.log.Warn("closing stream", "code", code, "reason", reason, "err", ce.err)
		s.ended = "closed: " + reason
	case parent.Err() != nil:
		code, reason = CloseShuttingDown, ReasonShuttingDown
		s.ended = "server shutdown"
	case err != nil:
		s.log.Info("stream connection lost", "err", err)
		s.ended = "disconnected"
	}
	s.finish()
	s.writer.Close(code, reason)
}

func (s *session) extendDeadline() error {
	return s.conn.SetReadDeadline(time.Now().Add(s.srv.cfg.ReadTimeout))
}

// readLoop reads messages until stop, an error, or a close decision.
func (s *session) readLoop(ctx context.Context) error {
	for {
		if err := s.extendDeadline(); err != nil {
			return err
		}
		kind, data, err := s.conn.ReadMessage()
		if errors.Is(err, websocket.ErrReadLimit) {
			return &closeError{CloseMessageTooBig, "message too big", err}
		}
		if err != nil {
			return err
		}
		if kind != websocket.TextMessage {
			if err := s.badMessage(fmt.Errorf("binary frame of %d bytes", len(data))); err != nil {
				return err
			}
			continue
		}
		msg, err := s.parser.Parse(data)
		if err != nil {
			if err := s.badMessage(err); err != nil {
				return err
			}
			continue
		}
		done, err := s.handle(ctx, msg)
		if err != nil || done {
			return err
		}
	}
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
		return &closeError{code, reason, fmt.Errorf("%d bad messages, last: %w", s.bad, err)}
	}
	return nil
}

func (s *session) handle(ctx context.Context, msg Message) (done bool, err error) {
	switch msg.Event {
	case EventConnected, EventMark:
		return false, nil
	case EventStart:
		return false, s.start(ctx, msg.Start)
	case EventMedia:
		return false, s.media(msg.Media)
	case EventDTMF:
		if s.stream == nil {
			return false, &closeError{CloseOutOfOrder, ReasonMediaBeforeStart, errors.New("dtmf before start")}
		}
		s.stream.Emit(event.Event{Type: event.DTMF, Track: string(msg.DTMF.Track), Digit: msg.DTMF.Digit})
		return false, nil
	case EventStop:
		s.ended = "stop"
		return true, nil
	}
	return false, s.badMessage(fmt.Errorf("%w: %q", ErrUnknownEvent, msg.Event))
}
