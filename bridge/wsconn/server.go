package wsconn

import (
	"context"
	"errors"
	"net/http"

	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge"
)

// Server runs the sessions of one endpoint: it upgrades requests, admits
// sessions and tracks them until Shutdown.
type Server struct {
	cfg       Config
	admission bridge.Admission
	sessions  *Sessions
	upgrader  websocket.Upgrader
}

// NewServer returns a Server configured by cfg (validated, then defaults
// applied). admission may be nil: every session is admitted.
func NewServer(cfg Config, admission bridge.Admission) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.WithDefaults()
	return &Server{cfg: cfg, admission: admission, sessions: NewSessions(),
		upgrader: websocket.Upgrader{ReadBufferSize: cfg.ReadBufferSize, WriteBufferSize: cfg.WriteBufferSize,
			CheckOrigin: cfg.CheckOrigin, Subprotocols: cfg.Subprotocols}}, nil
}

// Serve upgrades the request and runs a session for h until it ends. A
// request that is no WebSocket upgrade gets the upgrader's HTTP error.
func (s *Server) Serve(w http.ResponseWriter, r *http.Request, h Handler) {
	conn, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader answered with an HTTP error
	}
	s.Run(conn, h)
}

// Run runs a session for h on conn, a connection opened elsewhere, until it
// ends, and closes conn. A session is refused with 1001 once Shutdown
// began or while the service drains (bridge.ErrDraining), and with 1013
// when the admission says the service is at capacity.
func (s *Server) Run(conn Conn, h Handler) {
	ctx, end, ok := s.sessions.Begin()
	defer end()
	if !ok {
		refuse(conn, websocket.CloseGoingAway, ReasonShuttingDown, s.cfg.WriteTimeout, s.cfg.Logger)
		return
	}
	if s.admission != nil {
		if err := s.admission.Admit(); err != nil {
			s.cfg.Logger.Warn("session refused", "remote", conn.RemoteAddr().String(), "err", err)
			code, reason, why := websocket.CloseTryAgainLater, ReasonOverloaded, bridge.RefusedCapacity
			if errors.Is(err, bridge.ErrDraining) {
				code, reason, why = websocket.CloseGoingAway, ReasonShuttingDown, bridge.RefusedDraining
			}
			s.cfg.Refusals.Refused(why)
			refuse(conn, code, reason, s.cfg.WriteTimeout, s.cfg.Logger)
			return
		}
	}
	newSession(s.cfg, conn, h).run(ctx)
}

// Shutdown refuses new sessions, ends the running ones (each Handler's
// Finish still runs, so their finals are produced) and waits for them or
// ctx.
func (s *Server) Shutdown(ctx context.Context) error { return s.sessions.Shutdown(ctx) }
