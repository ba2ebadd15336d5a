package wsconn

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// Session is one connection run by a Server for a Handler. Its methods are
// safe for concurrent use.
type Session struct {
	cfg  Config
	conn Conn
	h    Handler
	w    *writer
	log  atomic.Pointer[slog.Logger]
	buf  bytes.Buffer // the message being read, reused

	mu          sync.Mutex
	interrupted bool        // shutdown: reads fail from now on
	closing     bool        // a close frame is decided: deadlines stay put
	closed      bool        // Close was called
	closeErr    *CloseError // what Close was called with
	limit       *CloseError // a limit was reached: the read loop ends with it
	limits      limits
}

// errInterrupted stops the read loop once the server shuts down.
var errInterrupted = errors.New("wsconn: session interrupted")

func newSession(cfg Config, conn Conn, h Handler) *Session {
	s := &Session{cfg: cfg, conn: conn, h: h}
	s.limits.s = s
	s.w = newWriter(s)
	s.log.Store(cfg.Logger.With("remote", conn.RemoteAddr().String()))
	return s
}

// Follow starts forwarding f's events to the peer, replacing (and closing)
// a feed followed before.
func (s *Session) Follow(f Feed) { s.w.follow(f) }

// Logger returns the session's logger.
func (s *Session) Logger() *slog.Logger { return s.log.Load() }

// SetLogger replaces the session's logger, once the handler knows the
// call's identity (call_id, stream_id).
func (s *Session) SetLogger(l *slog.Logger) { s.log.Store(l) }

// Close ends the session from outside its read loop, with ce (nil: a
// normal end, 1000 and NormalReason). The close frame goes out at once,
// after the events already queued, and the session ends when the peer
// answers it or WriteTimeout passes; Finish runs after the close frame, so
// Close suits a session that has nothing more to write (a subscription
// that ended). A Handler that does have more returns its CloseError from
// Message instead. Only the first Close counts.
func (s *Session) Close(ce *CloseError) {
	s.mu.Lock()
	if s.closed || s.closing {
		s.mu.Unlock()
		return
	}
	s.closed, s.closing, s.closeErr = true, true, ce
	if !s.interrupted {
		_ = s.conn.SetReadDeadline(time.Now().Add(s.cfg.WriteTimeout))
	}
	s.mu.Unlock()
	end := s.closeEnding(ce)
	s.w.requestClose(end.Code, end.Reason)
}

// run runs the session until it ends: reading on the calling goroutine,
// writing on the writer's, then Finish, the close frame and, when the
// Handler decided the close, the wait for the peer's answer.
func (s *Session) run(ctx context.Context) {
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s.conn.SetReadLimit(s.cfg.MaxMessageBytes)
	s.conn.SetPongHandler(func(string) error { return s.extend() })
	go s.w.run()
	stop := context.AfterFunc(ctx, s.interrupt)
	defer stop()

	err := s.h.Open(ctx, s)
	byHandler := err != nil
	if err == nil {
		s.limits.start()
		byHandler, err = s.readLoop(ctx)
		s.limits.stop()
	}
	end := s.end(parent, err, byHandler)
	s.h.Finish(end)
	s.w.requestClose(end.Code, end.Reason)
	if s.w.closeSent() && byHandler {
		s.linger()
	}
	if err := s.conn.Close(); err != nil {
		s.Logger().Debug("closing the connection", "err", err)
	}
}

// readLoop reads until an error; byHandler tells the Handler's from the
// connection's.
func (s *Session) readLoop(ctx context.Context) (byHandler bool, err error) {
	for {
		if err := s.extend(); err != nil {
			return s.limitReached(err)
		}
		kind, r, err := s.conn.NextReader()
		if err == nil {
			s.buf.Reset()
			_, err = s.buf.ReadFrom(r)
		}
		if err != nil && !errors.Is(err, websocket.ErrReadLimit) {
			return s.limitReached(err)
		}
		if errors.Is(err, websocket.ErrReadLimit) {
			// gorilla/websocket has sent 1009 itself.
			return false, &CloseError{Code: websocket.CloseMessageTooBig, Reason: ReasonMessageTooBig, Err: err}
		}
		if err != nil {
			return false, err
		}
		if s.isClosing() {
			continue // Close was called: read only for the peer's answer
		}
		if err := s.h.Message(ctx, kind == websocket.BinaryMessage, s.buf.Bytes()); err != nil {
			return true, err
		}
	}
}

// The deadline setters below fail only on a closed connection, and then
// the next read fails with the reason: their errors are not lost.

// extend pushes the read deadline ReadTimeout ahead: on every message and
// every pong, unless the session is closing or interrupted.
func (s *Session) extend() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.interrupted:
		return errInterrupted
	case s.limit != nil:
		return s.limit
	case s.closing:
		return nil
	}
	return s.conn.SetReadDeadline(time.Now().Add(s.cfg.ReadTimeout))
}

// interrupt stops reading for good: the server shuts down. Under mu, so
// that no extend can undo it.
func (s *Session) interrupt() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.interrupted = true
	_ = s.conn.SetReadDeadline(time.Unix(1, 0))
}

// limitReached returns the limit that stopped the read loop as the
// Handler's decision, or err as the connection's.
func (s *Session) limitReached(err error) (byHandler bool, _ error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.limit != nil {
		return true, s.limit
	}
	return false, err
}

func (s *Session) isClosing() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closing
}

// linger reads, and drops, what the peer sends after the close frame until
// its own close frame answers ours (or WriteTimeout passes), so that the
// socket is not reset under a close frame still in flight.
func (s *Session) linger() {
	s.mu.Lock()
	s.closing = true
	if s.interrupted {
		s.mu.Unlock()
		return
	}
	_ = s.conn.SetReadDeadline(time.Now().Add(s.cfg.WriteTimeout))
	s.mu.Unlock()
	for {
		_, r, err := s.conn.NextReader()
		if err != nil {
			return
		}
		if _, err := io.Copy(io.Discard, r); err != nil {
			return
		}
	}
}
