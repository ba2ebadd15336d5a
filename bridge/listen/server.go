package listen

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/timeline"
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
	ctx       context.Context
	cancel    context.CancelFunc
	sessions  sync.WaitGroup
}

// NewServer returns a Server; admission and log may be nil.
func NewServer(cfg Config, calls bridge.Calls, tx bridge.Transcriber, admission bridge.Admission, log *slog.Logger) *Server {
	cfg = cfg.withDefaults()
	if log == nil {
		log = slog.Default()
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Server{cfg: cfg, calls: calls, tx: tx, admission: admission, log: log, ctx: ctx, cancel: cancel,
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
	s.sessions.Add(1)
	defer s.sessions.Done()
	if s.ctx.Err() != nil {
		closeConn(conn, websocket.CloseGoingAway, "server shutting down")
		return
	}
	if s.admission != nil {
		if err := s.admission.Admit(); err != nil {
			s.log.Warn("listen stream refused", "remote", r.RemoteAddr, "err", err)
			closeConn(conn, websocket.CloseTryAgainLater, "server at capacity, retry later")
			return
		}
	}
	newSession(s, conn, p).run(s.ctx)
}

// Shutdown ends running streams (their finals are still produced) and
// waits for them or ctx.
func (s *Server) Shutdown(ctx context.Context) error {
	s.cancel()
	done := make(chan struct{})
	go func() {
		s.sessions.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func closeConn(conn *websocket.Conn, code int, reason string) {
	_ = conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), time.Now().Add(time.Second))
	_ = conn.Close()
}
