package webrtc

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/callscribe/callscribe/bridge"
)

// Media types of WHIP's bodies (RFC 9725).
const (
	// ContentTypeSDP is the offer's and the answer's type.
	ContentTypeSDP = "application/sdp"
	// ContentTypeTrickle is a PATCH's body: an SDP fragment of ICE
	// candidates (RFC 8840).
	ContentTypeTrickle = "application/trickle-ice-sdpfrag"
)

// HTTPError is a refusal: the status and the reason the client reads. Err,
// the cause, stays in the server's log. Config.Authorize may return one.
type HTTPError struct {
	Status int
	Reason string
	Err    error
}

// Error describes the refusal and its cause.
func (e *HTTPError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("%d %s", e.Status, e.Reason)
	}
	return fmt.Sprintf("%d %s: %v", e.Status, e.Reason, e.Err)
}

// Unwrap returns the cause.
func (e *HTTPError) Unwrap() error { return e.Err }

// refusal turns an error of this package, or an Admission's, into the
// answer the client gets.
func refusal(err error) *HTTPError {
	var he *HTTPError
	switch {
	case errors.As(err, &he):
		return he
	case errors.Is(err, ErrBadOffer), errors.Is(err, ErrNoAudio), errors.Is(err, ErrBadParams):
		return &HTTPError{http.StatusBadRequest, err.Error(), err}
	case errors.Is(err, ErrUnsupportedCodec):
		return &HTTPError{http.StatusUnsupportedMediaType, err.Error(), err}
	case errors.Is(err, ErrNoSession):
		return &HTTPError{http.StatusNotFound, "no such session (it ended, or never was)", err}
	case errors.Is(err, ErrTooManySessions):
		return &HTTPError{http.StatusServiceUnavailable, "too many WebRTC sessions; retry later", err}
	case errors.Is(err, bridge.ErrDraining):
		return &HTTPError{http.StatusServiceUnavailable, "server draining: start the call on another node", err}
	}
	return &HTTPError{http.StatusInternalServerError, "internal error", err}
}

// refuse answers an error as JSON {"error": reason}; 503s say when to
// retry.
func refuse(w http.ResponseWriter, e *HTTPError) {
	if e.Status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "5")
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.Status)
	_ = json.NewEncoder(w).Encode(struct {
		Error string `json:"error"`
	}{e.Reason})
}

// CORS lets browser pages on other origins use the endpoint: it answers
// preflight OPTIONS requests itself (204, no credential needed) and adds
// the CORS headers to every other answer, refusals of the handlers it wraps
// (next, such as an authentication check) included, so that a page can
// read Location and ETag, and read why it was refused.
func (s *Server) CORS(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", s.cfg.AllowOrigin)
		if s.cfg.AllowOrigin != "*" {
			h.Add("Vary", "Origin")
		}
		h.Set("Access-Control-Expose-Headers", "Location, ETag, Link, Accept-Patch, Retry-After")
		if r.Method == http.MethodOptions || next == nil {
			h.Set("Access-Control-Allow-Methods", "POST, DELETE, PATCH, OPTIONS")
			h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, If-Match")
			h.Set("Access-Control-Max-Age", "86400")
			h.Set("Accept-Post", ContentTypeSDP)
			h.Set("Accept-Patch", ContentTypeTrickle)
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}
