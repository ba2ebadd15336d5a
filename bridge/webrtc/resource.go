package webrtc

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/pion/sdp/v3"
	pion "github.com/pion/webrtc/v4"
)

// Resource serves a session URL (the Location of a POST's answer, mounted
// as .../{id}): DELETE ends the session and answers 200 once its last
// finals went out on the data channel; PATCH takes trickled ICE candidates
// (RFC 9725 section 4.3, RFC 8840: Content-Type
// application/trickle-ice-sdpfrag, If-Match with the ETag or absent) and
// answers 204. An ICE restart (new credentials, If-Match: *) gets 422: a
// client that lost its path starts a new session. A URL naming no running
// session gets 404.
func (s *Server) Resource() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		if id == "" {
			id = path.Base(r.URL.Path)
		}
		sess := s.lookup(id)
		switch {
		case r.Method != http.MethodDelete && r.Method != http.MethodPatch:
			w.Header().Set("Allow", "DELETE, PATCH, OPTIONS")
			refuse(w, &HTTPError{Status: http.StatusMethodNotAllowed, Reason: "DELETE ends a session, PATCH trickles candidates"})
		case sess == nil:
			refuse(w, refusal(ErrNoSession))
		case r.Method == http.MethodDelete:
			sess.end(ReasonStop)
			select {
			case <-sess.done:
				w.WriteHeader(http.StatusOK)
			case <-r.Context().Done():
			}
		default:
			if he := sess.trickle(r); he != nil {
				refuse(w, he)
				return
			}
			w.WriteHeader(http.StatusNoContent)
		}
	})
}

// trickle adds the candidates of a PATCH to the session's connection.
func (s *session) trickle(r *http.Request) *HTTPError {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != ContentTypeTrickle {
		return &HTTPError{Status: http.StatusUnsupportedMediaType, Reason: "a PATCH must be Content-Type: " + ContentTypeTrickle}
	}
	match := r.Header.Get("If-Match")
	if match == "*" {
		return &HTTPError{Status: http.StatusUnprocessableEntity, Reason: "ICE restarts are not supported: start a new session"}
	}
	if match != "" && match != s.etag {
		return &HTTPError{Status: http.StatusPreconditionFailed, Reason: "If-Match does not match the session's ETag"}
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, s.cfg.MaxOfferBytes))
	if err != nil {
		return &HTTPError{Status: http.StatusBadRequest, Reason: "unreadable body", Err: err}
	}
	frag, err := parseFragment(body)
	if err != nil {
		return &HTTPError{Status: http.StatusBadRequest, Reason: err.Error(), Err: err}
	}
	if frag.ufrag != "" && !s.remoteUfrag(frag.ufrag) {
		return &HTTPError{Status: http.StatusUnprocessableEntity, Reason: "new ICE credentials (an ICE restart) are not supported: start a new session"}
	}
	for _, c := range frag.candidates {
		mid := c.mid
		if err := s.peer.pc.AddICECandidate(pion.ICECandidateInit{Candidate: c.line, SDPMid: &mid}); err != nil {
			return &HTTPError{Status: http.StatusBadRequest, Reason: "candidate refused: " + c.line, Err: err}
		}
	}
	return nil
}

// remoteUfrag reports whether ufrag is one of the offer's ICE username
// fragments (session or section level).
func (s *session) remoteUfrag(ufrag string) bool {
	var d sdp.SessionDescription
	if d.UnmarshalString(s.offer.sdp) != nil {
		return false
	}
	if v, ok := d.Attribute("ice-ufrag"); ok && v == ufrag {
		return true
	}
	for _, m := range d.MediaDescriptions {
		if v, ok := m.Attribute("ice-ufrag"); ok && v == ufrag {
			return true
		}
	}
	return false
}

// fragment is a trickle-ice-sdpfrag body: the ICE username fragment and
// the candidates, each with the mid of the section it came under.
type fragment struct {
	ufrag      string
	candidates []fragCandidate
}

type fragCandidate struct{ mid, line string }

// errBadFragment reports a PATCH body that is no SDP fragment.
var errBadFragment = errors.New("malformed trickle-ice-sdpfrag body")

// parseFragment reads the lines of an SDP fragment that matter here:
// a=ice-ufrag, a=mid, a=candidate and a=end-of-candidates (an empty
// candidate for pion).
func parseFragment(body []byte) (fragment, error) {
	var f fragment
	mid := ""
	sc := bufio.NewScanner(bytes.NewReader(body))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "":
		case len(line) < 2 || line[1] != '=':
			return f, errBadFragment
		case strings.HasPrefix(line, "a=ice-ufrag:"):
			f.ufrag = strings.TrimPrefix(line, "a=ice-ufrag:")
		case strings.HasPrefix(line, "a=mid:"):
			mid = strings.TrimPrefix(line, "a=mid:")
		case strings.HasPrefix(line, "a=candidate:"):
			f.candidates = append(f.candidates, fragCandidate{mid, strings.TrimPrefix(line, "a=")})
		case line == "a=end-of-candidates":
			f.candidates = append(f.candidates, fragCandidate{mid, ""})
		}
	}
	return f, sc.Err()
}
