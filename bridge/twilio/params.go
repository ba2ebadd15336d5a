package twilio

import "strings"

// Custom parameters a stream may set in its TwiML <Parameter> elements.
const (
	// ParamTranscripts "false" stops transcript events on this socket
	// (they still reach subscribers and webhooks). Default on.
	ParamTranscripts = "transcripts"
	// ParamPartials "false" leaves partials out of this socket's events
	// and stops partial decoding for the call's tracks. Default on.
	ParamPartials = "partials"
	// ParamLanguage sets the decode language ("auto" to detect).
	ParamLanguage = "language"
)

// isFalse reads a parameter that switches something off: the platform
// passes TwiML's strings as they were written.
func isFalse(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "false", "0", "no", "off":
		return true
	}
	return false
}
