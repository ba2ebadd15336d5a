package listen

import (
	"context"
	"net/http"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/wsconn"
)

// Server serves GET /v1/raw.
type Server struct {
	cfg   Config
	calls bridge.Calls
	tx    bridge.Transcriber
	ws    *wsconn.Server
}

// NewServer returns a Server configured by cfg (validated, then defaults
// applied). admission may be nil: every stream is admitted.
func NewServer(cfg Config, calls bridge.Calls, tx bridge.Transcriber, admission bridge.Admission) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.WithDefaults()
	ws, err := wsconn.NewServer(cfg.socket(), admission)
	if err != nil {
		return nil, err
	}
	return &Server{cfg: cfg, calls: calls, tx: tx, ws: ws}, nil
}

// ServeHTTP checks the parameters (a bad query gets 400 before any
// upgrade), upgrades and runs the stream.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p, err := ParseParams(r.URL.Query())
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.ws.Serve(w, r, newSession(s, p)) //nolint:contextcheck // a hijacked stream lives by the server's sessions, not the request
}

// Shutdown stops accepting streams, ends the running ones (their finals are
// still produced) and waits for them or ctx.
func (s *Server) Shutdown(ctx context.Context) error { return s.ws.Shutdown(ctx) }
