package webrtc

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"sync"
	"sync/atomic"

	pion "github.com/pion/webrtc/v4"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/wsconn"
)

// ServerStats counts what the endpoint saw, across sessions.
type ServerStats struct {
	// Sessions started; Refused by the admission, MaxSessions or
	// Authorize.
	Sessions, Refused atomic.Int64
	// DroppedPackets found a session's packet queue full; BadPackets did
	// not parse as RTP or had a payload type the track did not negotiate.
	DroppedPackets, BadPackets atomic.Int64
	// DroppedPartials were not sent on a data channel that had
	// Config's buffered limit waiting.
	DroppedPartials atomic.Int64
}

// Server serves WHIP (RFC 9725): a client POSTs an SDP offer and gets an
// answer and a session URL; each audio track of its peer connection is a
// track of a new call, transcribed, with the call's events sent back on a
// data channel named DataChannelLabel. ServeHTTP answers the POST,
// Resource the session URL (DELETE, PATCH), CORS the preflights.
type Server struct {
	cfg       Config
	calls     bridge.Calls
	tx        bridge.Transcriber
	admission bridge.Admission
	api       *pion.API
	mux       io.Closer
	sessions  *wsconn.Sessions

	mu       sync.Mutex
	live     map[string]*session
	reserved int // sessions being set up, counted against MaxSessions
	// Stats counts sessions and packet outcomes.
	Stats ServerStats
}

// NewServer returns a Server configured by cfg (validated, then defaults
// applied). admission may be nil: every session is admitted. With
// Config.UDPPort it binds that port now.
func NewServer(cfg Config, calls bridge.Calls, tx bridge.Transcriber, admission bridge.Admission) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.WithDefaults()
	api, mux, err := newAPI(cfg)
	if err != nil {
		return nil, err
	}
	return &Server{cfg: cfg, calls: calls, tx: tx, admission: admission, api: api, mux: mux,
		sessions: wsconn.NewSessions(), live: map[string]*session{}}, nil
}

// Live returns the number of sessions running.
func (s *Server) Live() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.live)
}

// Shutdown refuses new sessions, ends the running ones (their finals are
// still produced and sent) and waits for them or ctx; then it closes the
// shared UDP port, if any.
func (s *Server) Shutdown(ctx context.Context) error {
	err := s.sessions.Shutdown(ctx)
	if s.mux != nil {
		err = errors.Join(err, s.mux.Close())
	}
	return err
}

// reserve counts a session being set up against MaxSessions.
func (s *Server) reserve() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.live)+s.reserved >= s.cfg.MaxSessions {
		return ErrTooManySessions
	}
	s.reserved++
	return nil
}

// admit registers a session that was reserved; a nil sess gives the
// reservation back.
func (s *Server) admit(sess *session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reserved--
	if sess != nil {
		s.live[sess.id] = sess
	}
}

func (s *Server) lookup(id string) *session {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.live[id]
}

func (s *Server) forget(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.live, id)
}

// newID returns a session id: 128 random bits, since the session URL is
// all a DELETE or PATCH names.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return "wr_" + hex.EncodeToString(b[:])
}
