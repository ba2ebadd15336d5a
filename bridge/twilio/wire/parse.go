package wire

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
)

// MaxMessageBytes is the largest message ParseMessage accepts. A 20 ms media
// message is about 400 bytes and a start message with custom parameters a few
// kilobytes; the limit leaves room for large chunks while bounding what a peer
// can make the server buffer. Sessions should also pass it to
// (*websocket.Conn).SetReadLimit so that bigger frames are refused (close code
// 1009) before they are read.
const MaxMessageBytes = 64 << 10

// ParseMessage decodes one text message of a Media Streams WebSocket. Errors
// wrap one of the package's sentinel errors with the offending field. A
// connection's messages are better read with a Parser, which reuses its
// buffers.
func ParseMessage(data []byte) (Message, error) {
	var p Parser
	return p.Parse(data)
}

// Parser decodes the messages of one stream, reusing its buffers between
// messages. The zero value is ready to use. A Parser is not safe for
// concurrent use.
type Parser struct {
	env     envelope
	payload json.RawMessage // the last media payload's JSON text, reused
	// streamSID is the SID last returned: messages of one stream share
	// one string rather than each keeping its own copy.
	streamSID string
}

// Parse decodes one message. Media.Payload of the result aliases the
// Parser's buffer: it is valid until the next Parse.
func (p *Parser) Parse(data []byte) (Message, error) {
	if len(data) > MaxMessageBytes {
		return Message{}, fmt.Errorf("%w: %d bytes, limit %d", ErrOversized, len(data), MaxMessageBytes)
	}
	if !isObject(data) {
		return Message{}, fmt.Errorf("%w: want a JSON object", ErrMalformedJSON)
	}
	p.env = envelope{Media: mediaIn{Payload: p.payload[:0]}}
	err := json.Unmarshal(data, &p.env)
	p.payload = p.env.Media.Payload
	if err != nil {
		return Message{}, decodeError(err)
	}
	return p.message(&p.env)
}

// isObject reports whether data's first byte past white space opens an
// object: encoding/json would read any value into the envelope.
func isObject(data []byte) bool {
	for _, c := range data {
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		return c == '{'
	}
	return false
}

// decodeError wraps what encoding/json reported in the package's sentinel
// for it, naming the offset or the field.
func decodeError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return fmt.Errorf("%w: %w at offset %d", ErrMalformedJSON, syntax, syntax.Offset)
	case errors.As(err, &typ):
		return fmt.Errorf("%w: %s is a JSON %s, want %s", ErrBadField, typ.Field, typ.Value, wantOf(typ.Type))
	}
	return fmt.Errorf("%w: %w", ErrMalformedJSON, err)
}

// wantOf names what a field of type t holds, for error messages.
func wantOf(t reflect.Type) string {
	if t == reflect.TypeFor[digits]() {
		return "a non-negative integer of at most 18 digits"
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Slice:
		return "an array"
	case reflect.String:
		return "a string"
	}
	return t.String()
}
