package twilio

import (
	"context"
	"net/http"
	"sync/atomic"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/wsconn"
)

// ServerStats counts what the endpoint saw, across streams.
type ServerStats struct {
	Streams, Refused, BadMessages, IgnoredMedia, Duplicates, Late, Reordered atomic.Int64
}

// Server serves Twilio Media Streams WebSockets (GET /v1/twilio): it parses
// the protocol, places each track's audio on its timeline, decodes and
// resamples it, and hands it to the Transcriber; the call hub gets the
// stream's events and sends the call's transcripts back when asked.
type Server struct {
	cfg   Config
	calls bridge.Calls
	tx    bridge.Transcriber
	ws    *wsconn.Server
	// Stats counts streams and message outcomes.
	Stats ServerStats
}

// NewServer returns a Server configured by cfg (validated, then defaults
// applied). admission may be nil: every stream is admitted.
func NewServer(cfg Config, calls bridge.Calls, tx bridge.Transcriber, admission bridge.Admission) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.WithDefaults()
	s := &Server{cfg: cfg, calls: calls, tx: tx}
	if admission != nil {
		admission = countRefusals{admission, &s.Stats.Refused}
	}
	ws, err := wsconn.NewServer(cfg.socket(), admission)
	if err != nil {
		return nil, err
	}
	s.ws = ws
	return s, nil
}

// ServeHTTP upgrades the request and runs the stream until it ends.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.ws.Serve(w, r, newSession(s, r)) //nolint:contextcheck // a hijacked stream lives by the server's sessions, not the request
}

// Shutdown stops accepting streams, ends the running ones (their finals are
// still produced) and waits for them or ctx.
func (s *Server) Shutdown(ctx context.Context) error { return s.ws.Shutdown(ctx) }

// countRefusals counts the streams an Admission refuses.
type countRefusals struct {
	bridge.Admission
	refused *atomic.Int64
}

func (a countRefusals) Admit() error {
	err := a.Admission.Admit()
	if err != nil {
		a.refused.Add(1)
	}
	return err
}
