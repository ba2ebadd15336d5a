package webrtc

import "errors"

// Sentinel errors of the transport; the refusals it answers wrap them.
var (
	// ErrBadConfig reports a Config that Validate rejects.
	ErrBadConfig = errors.New("webrtc: bad config")

	// ErrBadOffer reports an SDP offer that does not parse, or that pion
	// refuses (400).
	ErrBadOffer = errors.New("webrtc: malformed SDP offer")

	// ErrNoAudio reports an offer with no audio for the server to receive
	// (400).
	ErrNoAudio = errors.New("webrtc: offer sends no audio")

	// ErrUnsupportedCodec reports an offer whose audio offers only codecs
	// the server does not decode (415).
	ErrUnsupportedCodec = errors.New("webrtc: no supported audio codec")

	// ErrTooManySessions reports that Config.MaxSessions sessions run
	// already (503).
	ErrTooManySessions = errors.New("webrtc: too many sessions")

	// ErrNoSession reports a session URL that names no running session
	// (404).
	ErrNoSession = errors.New("webrtc: no such session")
)

// ErrBadParams reports a query parameter the endpoint cannot use (400).
var ErrBadParams = errors.New("webrtc: bad query parameter")
