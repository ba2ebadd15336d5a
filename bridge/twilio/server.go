package twilio

import (
	"context"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/timeline"
	"github.com/callscribe/callscribe/bridge/wsconn"
)

// ServerConfig tunes the Media Streams endpoint. The zero value of a field
// means its default.
type ServerConfig struct {
	// PingInterval is how often the server pings an idle peer: proxies with
	// idle timeouts (nginx's default is 60 s) must not cut a call on hold.
	// Default 20 s.
	PingInterval time.Duration
	// ReadTimeout ends a stream that has sent nothing, not even a pong, for
	// this long: a dead network path. Default 60 s.
	ReadTimeout time.Duration
	// CloseTimeout bounds the wait for a stream's last finals after it
	// ended. Default 60 s.
	CloseTimeout time.Duration
	// MaxBadMessages is how many unparsable messages a stream may send
	// (each ignored and counted) before it is closed. Default 50.
	MaxBadMessages int
	// Jitter is how much audio waits for a late frame; see timeline.Config.
	Jitter time.Duration
	// RateGuard bounds how far media may run ahead of wall time.
	RateGuard timeline.RateGuardConfig
}

func (c ServerConfig) withDefaults() ServerConfig {
	if c.PingInterval <= 0 {
		c.PingInterval = 20 * time.Second
	}
	if c.ReadTimeout <= 0 {
		c.ReadTimeout = 60 * time.Second
	}
	if c.CloseTimeout <= 0 {
		c.CloseTimeout = 60 * time.Second
	}
	if c.MaxBadMessages <= 0 {
		c.MaxBadMessages = 50
	}
	return c
}

// ServerStats counts what the endpoint saw, across streams.
type ServerStats struct {
	Streams, Refused, BadMessages, IgnoredMedia, Duplicates, Late, Reordered atomic.Int64
}

// Server serves Twilio Media Streams WebSockets (GET /v1/twilio): it parses
// the protocol, places each track's audio on its timeline, decodes and
// resamples it, and hands it to the Transcriber; the call hub gets the
// stream's events and sends the call's transcripts back when asked.
type Server struct {
	cfg       ServerConfig
	calls     bridge.Calls
	tx        bridge.Transcriber
	admission bridge.Admission
	log       *slog.Logger
	upgrader  websocket.Upgrader
	now       func() time.Time

	sessions *wsconn.Sessions
	// Stats counts streams and message outcomes.
	Stats ServerStats
}

// NewServer returns a Server. admission may be nil (always admit); log may
// be nil (slog.Default).
func NewServer(cfg ServerConfig, calls bridge.Calls, tx bridge.Transcriber, admission bridge.Admission, log *slog.Logger) *Server {
	if log == nil {
		log = slog.Default()
	}
	return &Server{
		cfg: cfg.withDefaults(), calls: calls, tx: tx, admission: admission, log: log,
		// Telephony platforms send no Origin; browsers use /v1/listen.
		upgrader: websocket.Upgrader{ReadBufferSize: 4096, WriteBufferSize: 4096, CheckOrigin: func(*http.Request) bool { return true }},
		now:      time.Now,
		sessions: wsconn.NewSessions(),
	}
}

// ServeHTTP upgrades the request and runs the stream until it ends.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	conn, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader already answered with an HTTP error
	}
	ctx, end, ok := s.sessions.Begin()
	defer end()
	if !ok {
		wsconn.CloseConn(conn, CloseShuttingDown, ReasonShuttingDown)
		return
	}
	if s.admission != nil {
		if err := s.admission.Admit(); err != nil {
			s.Stats.Refused.Add(1)
			s.log.Warn("stream refused", "remote", r.RemoteAddr, "err", err)
			wsconn.CloseConn(conn, CloseOverloaded, ReasonOverloaded)
			return
		}
	}
	s.Stats.Streams.Add(1)
	newSession(s, conn).run(ctx)
}

// Shutdown stops accepting streams, ends the running ones (their finals are
// still produced) and waits for them or ctx.
func (s *Server) Shutdown(ctx context.Context) error { return s.sessions.Shutdown(ctx) }
