package twilio

import "strings"

// Custom parameters a stream may set in its TwiML <Parameter> elements.
const (
	// ParamTranscripts "true" sends the call's events back on this socket,
	// for platforms that speak the protocol and want results back. Default
	// off: Twilio itself accepts only media, mark and clear messages on a
	// bidirectional <Connect><Stream> (anything else is its error 31924)
	// and none on a one-way <Start><Stream>. Subscribers and webhooks get
	// the events either way.
	ParamTranscripts = "transcripts"
	// ParamPartials "false" leaves partials out of this socket's events
	// and stops partial decoding for the call's tracks. Default on.
	ParamPartials = "partials"
	// ParamLanguage sets the decode language ("auto" to detect).
	ParamLanguage = "language"
	// ParamToken carries an API key or token, for platforms that cannot
	// sign their requests as Twilio does. It is checked on start and kept
	// out of the call's recorded parameters.
	ParamToken = "token"
)

// isTrue reads a parameter that switches something on.
func isTrue(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "1", "yes", "on":
		return true
	}
	return false
}

// isFalse reads a parameter that switches something off: the platform
// passes TwiML's strings as they were written.
func isFalse(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "false", "0", "no", "off":
		return true
	}
	return false
}
