package deepgram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/wsconn"
)

// Server serves /v1/listen: GET streams live audio over a WebSocket,
// POST transcribes a file.
type Server struct {
	cfg   Config
	calls bridge.Calls
	tx    bridge.Transcriber
	files FileTranscriber
	ws    *wsconn.Server
}

// NewServer returns a Server configured by cfg (validated, then defaults
// applied). files transcribes POSTed audio; admission may be nil: every
// stream is admitted.
func NewServer(cfg Config, calls bridge.Calls, tx bridge.Transcriber, files FileTranscriber, admission bridge.Admission) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.WithDefaults()
	ws, err := wsconn.NewServer(cfg.socket(), admission)
	if err != nil {
		return nil, err
	}
	return &Server{cfg: cfg, calls: calls, tx: tx, files: files, ws: ws}, nil
}

// ServeHTTP checks the parameters (a bad query gets 400 before any
// upgrade), then runs a live stream (GET) or transcribes a file (POST).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p, err := ParseParams(r.URL.Query())
	if err != nil {
		writeError(w, err, "")
		return
	}
	switch r.Method {
	case http.MethodGet:
		if err := s.liveEncoding(p.Encoding); err != nil {
			writeError(w, err, "")
			return
		}
		s.ws.Serve(w, r, newSession(s, p)) //nolint:contextcheck // a hijacked stream lives by the server's sessions, not the request
	case http.MethodPost:
		s.serveFile(w, r, p)
	default:
		w.Header().Set("Allow", "GET, POST")
		writeJSON(w, http.StatusMethodNotAllowed, APIError{ErrCode: "METHOD_NOT_ALLOWED", ErrMsg: "GET streams, POST transcribes a file"})
	}
}

// liveEncoding refuses, before the upgrade, an encoding a live stream
// cannot take: FLAC, and Opus when the server has no Opus decoder.
func (s *Server) liveEncoding(e Encoding) error {
	switch {
	case e == FLAC:
		return fmt.Errorf("%w: encoding flac live: %s", ErrUnsupported, supportedLive)
	case (e == Opus || e == OggOpus) && s.cfg.NewOpusDecoder == nil:
		return fmt.Errorf("%w: encoding %s: this server has no Opus decoder", ErrUnsupported, e)
	}
	return nil
}

// Shutdown stops accepting streams, ends the running ones (their finals are
// still produced) and waits for them or ctx.
func (s *Server) Shutdown(ctx context.Context) error { return s.ws.Shutdown(ctx) }

// writeError answers err in Deepgram's error shape, with a status by its
// sentinel.
func writeError(w http.ResponseWriter, err error, requestID string) {
	code, kind := http.StatusInternalServerError, "INTERNAL_SERVER_ERROR"
	switch {
	case errors.Is(err, ErrBadParams):
		code, kind = http.StatusBadRequest, "INVALID_QUERY_PARAMETER"
	case errors.Is(err, errUnsupportedMedia):
		code, kind = http.StatusUnsupportedMediaType, "UNSUPPORTED_AUDIO"
	case errors.Is(err, ErrUnsupported):
		code, kind = http.StatusBadRequest, "UNSUPPORTED_AUDIO"
	case errors.Is(err, ErrURLRefused):
		code, kind = http.StatusBadRequest, "REMOTE_CONTENT_ERROR"
	case errors.Is(err, errTooLarge):
		code, kind = http.StatusRequestEntityTooLarge, "PAYLOAD_TOO_LARGE"
	}
	writeJSON(w, code, APIError{ErrCode: kind, ErrMsg: err.Error(), RequestID: requestID})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}
