package wire

import (
	"encoding/json"
	"reflect"
)

// The JSON shapes of the messages a platform sends, as encoding/json reads
// them: one envelope with a body per event. Bodies are values: an absent
// body reads as a zero one, which the fields its event needs catch
// (ErrMissingField). Keys match as encoding/json matches them: exact
// spelling first, then without regard to case; a repeated key keeps its
// last value.
type envelope struct {
	Event          EventType `json:"event"`
	SequenceNumber digits    `json:"sequenceNumber"`
	StreamSID      string    `json:"streamSid"`
	Protocol       string    `json:"protocol"`
	Version        string    `json:"version"`
	Start          startIn   `json:"start"`
	Media          mediaIn   `json:"media"`
	DTMF           dtmfIn    `json:"dtmf"`
	Mark           markIn    `json:"mark"`
	Stop           stopIn    `json:"stop"`
}

type startIn struct {
	AccountSID string   `json:"accountSid"`
	StreamSID  string   `json:"streamSid"`
	CallSID    string   `json:"callSid"`
	Tracks     []string `json:"tracks"`
	// CustomParameters are kept raw: a value that is not a JSON string is
	// kept as its JSON text.
	CustomParameters map[string]json.RawMessage `json:"customParameters"`
	MediaFormat      formatIn                   `json:"mediaFormat"`
}

type formatIn struct {
	Encoding   string `json:"encoding"`
	SampleRate digits `json:"sampleRate"`
	Channels   digits `json:"channels"`
}

type mediaIn struct {
	Track     string `json:"track"`
	Chunk     digits `json:"chunk"`
	Timestamp digits `json:"timestamp"`
	// Payload is kept raw, in a buffer the Parser reuses, so that the
	// base64 text costs no allocation per message and its JSON type is
	// checked here (ErrBadField), its content by checkBase64.
	Payload json.RawMessage `json:"payload"`
}

type dtmfIn struct {
	Track string `json:"track"`
	Digit string `json:"digit"`
}

type markIn struct {
	Name string `json:"name"`
}

type stopIn struct {
	AccountSID string `json:"accountSid"`
	CallSID    string `json:"callSid"`
}

// maxDigits keeps integers far from int64 overflow: 18 digits is more than
// three million years of milliseconds.
const maxDigits = 18

// digits is an integer field. The platform writes counters and timestamps
// as JSON strings of decimal digits ("20") and rates as numbers (8000); a
// reader of the protocol takes either form for either, as callscribe always
// has. Anything else (a sign, a fraction, more than 18 digits) is a type
// error that encoding/json reports with the field's path.
type digits struct {
	n   int64
	set bool // present and not null
}

// UnmarshalJSON reads a JSON number or string of digits; null leaves d
// unset.
func (d *digits) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	text := b
	if len(b) >= 2 && b[0] == '"' {
		text = b[1 : len(b)-1]
	}
	if len(text) == 0 || len(text) > maxDigits {
		return badDigits(b)
	}
	var n int64
	for _, c := range text {
		if c < '0' || c > '9' {
			return badDigits(b)
		}
		n = n*10 + int64(c-'0')
	}
	d.n, d.set = n, true
	return nil
}

func badDigits(b []byte) error {
	return &json.UnmarshalTypeError{Value: describe(b), Type: reflect.TypeFor[digits]()}
}

// describe names a JSON value for an error message, quoting short scalars
// (cut, so that a hostile message cannot make errors and logs large).
func describe(raw []byte) string {
	const limit = 40
	switch kind := kindOf(raw); kind {
	case "string", "number":
		if len(raw) > limit {
			return kind + " " + string(raw[:limit]) + "..."
		}
		return kind + " " + string(raw)
	default:
		return kind
	}
}

// kindOf names the JSON type of a raw value, which encoding/json has
// already checked to be well-formed.
func kindOf(raw []byte) string {
	if len(raw) == 0 {
		return "absent value"
	}
	switch raw[0] {
	case '"':
		return "string"
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}
