package wsconn

import (
	"context"
	"errors"

	"github.com/gorilla/websocket"
)

// end decides how a session that stopped reading with err ends, and logs
// it. A Close call decided first; then the Handler (ErrDone, a CloseError,
// or another error: an internal one); then shutdown; then the peer left.
func (s *Session) end(parent context.Context, err error, byHandler bool) Ending {
	s.mu.Lock()
	closed, ce := s.closed, s.closeErr
	s.mu.Unlock()
	var end Ending
	switch {
	case closed:
		end = s.closeEnding(ce)
	case errors.Is(err, ErrDone):
		end = s.closeEnding(nil)
	case errors.As(err, &ce):
		end = s.closeEnding(ce)
	case byHandler:
		end = Ending{Kind: EndClosed, Code: websocket.CloseInternalServerErr, Reason: ReasonInternalError, Err: err}
	case parent.Err() != nil:
		end = Ending{Kind: EndShutdown, Code: websocket.CloseGoingAway, Reason: ReasonShuttingDown, Err: err}
	default:
		end = Ending{Kind: EndPeerGone, Code: websocket.CloseNormalClosure, Reason: s.cfg.NormalReason, Err: err}
	}
	log := s.Logger()
	switch {
	case end.Kind == EndClosed && end.Code == websocket.CloseInternalServerErr:
		log.Error("closing session", "code", end.Code, "reason", end.Reason, "err", end.Err)
	case end.Kind == EndClosed:
		log.Warn("closing session", "code", end.Code, "reason", end.Reason, "err", end.Err)
	case end.Kind == EndPeerGone && !websocket.IsCloseError(err, websocket.CloseNormalClosure, websocket.CloseGoingAway):
		log.Info("connection lost", "err", err)
	}
	return end
}

// closeEnding is the Ending of a close decision: ce's code and reason, or
// a normal end for nil.
func (s *Session) closeEnding(ce *CloseError) Ending {
	if ce == nil {
		return Ending{Kind: EndDone, Code: websocket.CloseNormalClosure, Reason: s.cfg.NormalReason}
	}
	return Ending{Kind: EndClosed, Code: ce.Code, Reason: ce.Reason, Err: ce.Err}
}
