package listen

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/timeline"
	"github.com/callscribe/callscribe/bridge/wsconn"
)

// Config tunes the endpoint; zero fields take their defaults.
type Config struct {
	// PingInterval keeps idle proxies from closing the socket. Default 20 s.
	PingInterval time.Duration
	// IdleTimeout ends a stream that sent nothing (no audio, no KeepAlive,
	// no pong) for this long. Default 60 s.
	IdleTimeout time.Duration
	// CloseTimeout bounds the wait for the last finals. Default 60 s.
	CloseTimeout time.Duration
	// MaxFrameBytes bounds one message. Default 256 KiB.
	MaxFrameBytes int64
	// RateGuard bounds how far audio may run ahead of wall time.
	RateGuard timeline.RateGuardConfig
	// CheckOrigin vets browser origins; nil allows every origin.
	CheckOrigin func(*http.Request) bool
}

func (c Config) withDefaults() Config {
	if c.PingInterval <= 0 {
		c.PingInterval = 20 * time.Second
	}
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = 60 * time.Second
	}
	if c.CloseTimeout <= 0 {
		c.CloseTimeout = 60 * time.Second
	}
	if c.MaxFrameBytes <= 0 {
		c.MaxFrameBytes = 256 << 10
	}
	if c.CheckOrigin == nil {
		c.CheckOrigin = func(*http.Request) bool { return true }
	}
	return c
}

// Server serves GET /v1/listen.
type Server struct {
	cfg       Config
	calls     bridge.Calls
	tx        bridge.Transcriber
	admission bridge.Admission
	log       *slog.Logger
	upgrader  websocket.Upgrader
	sessions  *wsconn.Sessions
}

// NewServer returns a Server; admission and log may be nil.
func NewServer(cfg Config, calls bridge.Calls, tx bridge.Transcriber, admission bridge.Admission, log *slog.Logger) *Server {
	cfg = cfg.withDefaults()
	if log == nil {
		log = slog.Default()
	}
	return &Server{cfg: cfg, calls: calls, tx: tx, admission: admission, log: log, sessions: wsconn.NewSessions(),
		upgrader: websocket.Upgrader{ReadBufferSize: 8192, WriteBufferSize: 4096, CheckOrigin: cfg.CheckOrigin}}
}

// ServeHTTP checks the parameters (a bad query gets 400 before any
// upgrade), upgrades and runs the stream.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p, err := ParseParams(r.URL.Query())
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	conn, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	ctx, end, ok := s.sessions.Begin()
	defer end()
	if !ok {
		wsconn.CloseConn(conn, websocket.CloseGoingAway, "server shutting down")
		return
	}
	if s.admission != nil {
		if err := s.admission.Admit(); err != nil {
			s.log.Warn("listen stream refused", "remote", r.RemoteAddr, "err", err)
			wsconn.CloseConn(conn, websocket.CloseTryAgainLater, "server at capacity, retry later")
			return
		}
	}
	newSession(s, conn, p).run(ctx)
}

// Shutdown stops accepting streams, ends the running ones (their finals are
// still produced) and waits for them or ctx.
func (s *Server) Shutdown(ctx context.Context) error { return s.sessions.Shutdown(ctx) }
