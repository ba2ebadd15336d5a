package wire

import "errors"

// Sentinel errors returned, wrapped with context, by ParseMessage,
// Parser.Parse, Encode and MediaFormat.Validate. Test for them with
// errors.Is; each error of a parse wraps exactly one, and its message names
// the offending field or byte offset.
var (
	// ErrOversized reports a message longer than MaxMessageBytes. It is
	// checked before any decoding, so an oversized message costs nothing.
	ErrOversized = errors.New("twilio: message too big")

	// ErrMalformedJSON reports bytes that are not one well-formed JSON
	// object: a syntax error, a top-level value that is not an object,
	// trailing data, or nesting deeper than encoding/json follows (10000).
	ErrMalformedJSON = errors.New("twilio: malformed JSON")

	// ErrUnknownEvent reports a well-formed message whose "event" names no
	// message a platform sends. Sessions are advised to skip such messages
	// rather than close, so that a platform adding an event breaks nothing.
	ErrUnknownEvent = errors.New("twilio: unknown event")

	// ErrMissingField reports a field the event cannot be used without, such
	// as "event" itself, the timestamp of a media message or the "callSid"
	// of a start message.
	ErrMissingField = errors.New("twilio: missing field")

	// ErrBadField reports a field that is present but holds a value of the
	// wrong JSON type or shape: a timestamp that is not a non-negative
	// integer, an unknown track name, a DTMF digit that is not a key.
	ErrBadField = errors.New("twilio: bad field")

	// ErrBadPayload reports a media payload that is not valid standard
	// base64 (RFC 4648 section 4, padded).
	ErrBadPayload = errors.New("twilio: bad media payload")

	// ErrUnsupportedFormat reports a start message whose mediaFormat is not
	// the one callscribe decodes: audio/x-mulaw at 8000 Hz, one channel.
	ErrUnsupportedFormat = errors.New("twilio: unsupported media format")
)
