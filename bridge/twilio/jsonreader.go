package twilio

import (
	"encoding/json"
	"fmt"
)

// maxDepth bounds the nesting the reader follows. No message of the protocol
// nests deeper than three levels; the bound only keeps the recursive skipping
// of unknown values cheap on hostile input.
const maxDepth = 64

// kind is the JSON type of a value the reader met.
type kind uint8

const (
	kindAbsent kind = iota // the key did not appear
	kindNull
	kindBool
	kindNumber
	kindString
	kindObject
	kindArray
)

// String names the JSON type, for error messages.
func (k kind) String() string {
	return [...]string{"absent", "null", "boolean", "number", "string", "object", "array"}[k]
}

// token is one value as it appears in the input. raw aliases the input: for
// a string it includes the quotes. escaped marks a string that holds a
// backslash or a non-ASCII byte and so needs encoding/json to decode it the
// standard way; every other string is its raw bytes minus the quotes.
type token struct {
	kind    kind
	raw     []byte
	escaped bool
}

// content returns a string token's bytes between the quotes.
func (t token) content() []byte { return t.raw[1 : len(t.raw)-1] }

// reader walks one JSON document in a single pass, validating all of it
// while handing the values of known keys to its caller. It never allocates
// except to report an error.
type reader struct {
	data  []byte
	pos   int
	depth int
}

func (r *reader) syntaxError(what string) error {
	return fmt.Errorf("%w: %s at offset %d", ErrMalformedJSON, what, r.pos)
}

func (r *reader) skipSpace() {
	for r.pos < len(r.data) {
		switch r.data[r.pos] {
		case ' ', '\t', '\n', '\r':
			r.pos++
		default:
			return
		}
	}
}

// value reads the next value. Scalars come back as tokens; an object or an
// array is validated and skipped, and comes back with its raw span.
func (r *reader) value() (token, error) {
	r.skipSpace()
	if r.pos >= len(r.data) {
		return token{}, r.syntaxError("unexpected end of input")
	}
	start := r.pos
	var err error
	t := token{}
	switch c := r.data[r.pos]; {
	case c == '"':
		t.kind = kindString
		t.escaped, err = r.skipString()
	case c == '-' || (c >= '0' && c <= '9'):
		t.kind = kindNumber
		err = r.skipNumber()
	case c == 't':
		t.kind = kindBool
		err = r.skipWord("true")
	case c == 'f':
		t.kind = kindBool
		err = r.skipWord("false")
	case c == 'n':
		t.kind = kindNull
		err = r.skipWord("null")
	case c == '{':
		t.kind = kindObject
		err = r.object(func(token) error { _, err := r.value(); return err })
	case c == '[':
		t.kind = kindArray
		err = r.array(func() error { _, err := r.value(); return err })
	default:
		return token{}, r.syntaxError(fmt.Sprintf("unexpected byte %q", c))
	}
	if err != nil {
		return token{}, err
	}
	t.raw = r.data[start:r.pos]
	return t, nil
}

// object reads an object, calling member for each key with the reader
// positioned on the key's value; member must consume that value.
func (r *reader) object(member func(key token) error) error {
	if err := r.enter('{'); err != nil {
		return err
	}
	r.skipSpace()
	if r.pos < len(r.data) && r.data[r.pos] == '}' {
		r.pos++
		r.depth--
		return nil
	}
	for {
		r.skipSpace()
		if r.pos >= len(r.data) || r.data[r.pos] != '"' {
			return r.syntaxError("expected a string key")
		}
		start := r.pos
		escaped, err := r.skipString()
		if err != nil {
			return err
		}
		key := token{kind: kindString, raw: r.data[start:r.pos], escaped: escaped}
		r.skipSpace()
		if r.pos >= len(r.data) || r.data[r.pos] != ':' {
			return r.syntaxError("expected ':' after key")
		}
		r.pos++
		if err := member(key); err != nil {
			return err
		}
		if done, err := r.next('}'); done || err != nil {
			return err
		}
	}
}

// array reads an array, calling element with the reader positioned on each
// element; element must consume it.
func (r *reader) array(element func() error) error {
	if err := r.enter('['); err != nil {
		return err
	}
	r.skipSpace()
	if r.pos < len(r.data) && r.data[r.pos] == ']' {
		r.pos++
		r.depth--
		return nil
	}
	for {
		if err := element(); err != nil {
			return err
		}
		if done, err := r.next(']'); done || err != nil {
			return err
		}
	}
}

func (r *reader) enter(open byte) error {
	r.skipSpace()
	if r.pos >= len(r.data) || r.data[r.pos] != open {
		return r.syntaxError(fmt.Sprintf("expected %q", open))
	}
	if r.depth >= maxDepth {
		return r.syntaxError("nesting too deep")
	}
	r.depth++
	r.pos++
	return nil
}

// next consumes the ',' between members or the closing byte after the last.
func (r *reader) next(closing byte) (done bool, err error) {
	r.skipSpace()
	if r.pos >= len(r.data) {
		return false, r.syntaxError("unexpected end of input")
	}
	switch r.data[r.pos] {
	case ',':
		r.pos++
		return false, nil
	case closing:
		r.pos++
		r.depth--
		return true, nil
	}
	return false, r.syntaxError(fmt.Sprintf("expected ',' or %q", closing))
}

// unquote returns a string token's value, decoded exactly as encoding/json
// would when it holds escapes or non-ASCII bytes.
func unquote(t token) string {
	if !t.escaped {
		return string(t.content())
	}
	var s string
	if err := json.Unmarshal(t.raw, &s); err != nil {
		// skipString already validated the token; keep the raw bytes
		// rather than lose the value if the two ever disagree.
		return string(t.content())
	}
	return s
}
