package webrtc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/callscribe/callscribe/bridge"
)

// ServeHTTP answers POST /v1/whip (RFC 9725, section 4.2): an SDP offer in
// (Content-Type application/sdp), 201 Created with the SDP answer, the
// session URL in Location, an ETag for PATCH and the ICE servers in Link
// headers. Refusals are JSON {"error": reason}: 400 for an offer that does
// not parse or sends no audio, 415 for another content type or no codec
// the server decodes, 413 for an offer over MaxOfferBytes, 503 (with
// Retry-After) at capacity, past MaxSessions, draining or shutting down.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST, OPTIONS")
		s.cfg.Refusals.Refused(bridge.RefusedBadRequest)
		refuse(w, &HTTPError{Status: http.StatusMethodNotAllowed, Reason: "POST an SDP offer"})
		return
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != ContentTypeSDP {
		w.Header().Set("Accept-Post", ContentTypeSDP)
		s.cfg.Refusals.Refused(bridge.RefusedBadRequest)
		refuse(w, &HTTPError{Status: http.StatusUnsupportedMediaType, Reason: "the offer must be Content-Type: " + ContentTypeSDP})
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxOfferBytes))
	if err != nil {
		s.cfg.Refusals.Refused(bridge.RefusedBadRequest)
		refuse(w, &HTTPError{Status: http.StatusRequestEntityTooLarge, Reason: fmt.Sprintf("the offer exceeds %d bytes", s.cfg.MaxOfferBytes), Err: err})
		return
	}
	p := parseParams(r.URL.Query())
	o, err := parseOffer(body, p.labels, s.cfg.NewOpusDecoder != nil, s.cfg.MaxTracks)
	if err != nil {
		s.cfg.Logger.Info("webrtc offer refused", "remote", r.RemoteAddr, "err", err)
		s.cfg.Refusals.Refused(bridge.RefusedBadRequest)
		refuse(w, refusal(err))
		return
	}
	ctx, end, ok := s.sessions.Begin()
	if !ok {
		s.Stats.Refused.Add(1)
		s.cfg.Refusals.Refused(bridge.RefusedDraining)
		refuse(w, refusal(fmt.Errorf("%w: shutting down", bridge.ErrDraining)))
		return
	}
	sess, answer, err := s.start(r, o, p)
	if err != nil {
		end()
		s.Stats.Refused.Add(1)
		s.cfg.Logger.Warn("webrtc session refused", "remote", r.RemoteAddr, "err", err)
		if reason := refusalReason(err); reason != "" {
			s.cfg.Refusals.Refused(reason)
		}
		refuse(w, refusal(err))
		return
	}
	s.Stats.Sessions.Add(1)
	go sess.run(ctx, end) //nolint:contextcheck // a session lives by the server's sessions, not the request

	h := w.Header()
	h.Set("Content-Type", ContentTypeSDP)
	h.Set("Location", strings.TrimSuffix(r.URL.Path, "/")+"/"+sess.id)
	h.Set("ETag", sess.etag)
	h.Set("Accept-Patch", ContentTypeTrickle)
	for _, l := range linkHeaders(s.cfg.ICEServers) {
		h.Add("Link", l)
	}
	w.WriteHeader(http.StatusCreated)
	_, _ = io.WriteString(w, answer)
}

// start admits a session and sets it up: the peer connection and its
// answer, the call, a track per audio section, the event subscription.
func (s *Server) start(r *http.Request, o offer, p params) (_ *session, answer string, err error) {
	if err := s.reserve(); err != nil {
		return nil, "", err
	}
	var sess *session
	defer func() { s.admit(sess) }()
	if s.admission != nil {
		if err := s.admission.Admit(); err != nil {
			if !errors.Is(err, bridge.ErrDraining) {
				err = &HTTPError{Status: http.StatusServiceUnavailable, Reason: "server at capacity, retry later", Err: err}
			}
			return nil, "", err
		}
	}
	var release func()
	if s.cfg.Authorize != nil {
		if release, err = s.cfg.Authorize(r); err != nil {
			var he *HTTPError
			if !errors.As(err, &he) {
				err = &HTTPError{Status: http.StatusForbidden, Reason: "forbidden", Err: err}
			}
			return nil, "", &authorizeError{err}
		}
	}
	sess, answer, err = s.open(r.Context(), o, p)
	if err != nil {
		if release != nil {
			release()
		}
		return nil, "", err
	}
	sess.release = release
	return sess, answer, nil
}

// open makes the session's peer connection and answer, then opens the call
// and its tracks. What it made is undone if a later step fails.
func (s *Server) open(ctx context.Context, o offer, p params) (sess *session, answer string, err error) {
	peer, err := newPeer(s.api, s.cfg.ICEServers, len(o.tracks))
	if err != nil {
		return nil, "", err
	}
	if answer, err = peer.answer(o.sdp, s.cfg.GatherTimeout); err != nil {
		return nil, "", errors.Join(err, peer.close())
	}
	sess = newSession(s, peer, o, p)
	if err := sess.open(ctx); err != nil {
		sess.abandon(ctx)
		return nil, "", err
	}
	return sess, answer, nil
}

// authorizeError is Config.Authorize's refusal, which Authorize counted.
type authorizeError struct{ err error }

func (e *authorizeError) Error() string { return e.err.Error() }
func (e *authorizeError) Unwrap() error { return e.err }

// refusalReason is the bridge.Refused* reason of a session start's error,
// or "" when Authorize refused it and counted it already.
func refusalReason(err error) string {
	var ae *authorizeError
	switch {
	case errors.As(err, &ae):
		return ""
	case errors.Is(err, bridge.ErrDraining):
		return bridge.RefusedDraining
	case errors.Is(err, ErrTooManySessions):
		return bridge.RefusedCapacity
	}
	switch he := refusal(err); {
	case he.Status == http.StatusServiceUnavailable:
		return bridge.RefusedCapacity
	case he.Status < http.StatusInternalServerError:
		return bridge.RefusedBadRequest
	}
	return "" // the server failed: logged, not a refusal
}
