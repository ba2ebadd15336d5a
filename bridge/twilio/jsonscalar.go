package twilio

import "fmt"

// plainStringByte marks the bytes a string can hold as they are: printable
// ASCII other than the quote and the backslash. The scan below skips runs of
// them with one table look-up per byte, which is most of a media message.
var plainStringByte = func() (table [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		table[c] = c != '"' && c != '\\'
	}
	return table
}()

// skipString moves past one string, validating its escapes. It reports
// whether the string needs unquote's slow path.
func (r *reader) skipString() (escaped bool, err error) {
	r.pos++ // opening quote
	for {
		for r.pos < len(r.data) && plainStringByte[r.data[r.pos]] {
			r.pos++
		}
		if r.pos >= len(r.data) {
			return false, r.syntaxError("unterminated string")
		}
		switch c := r.data[r.pos]; {
		case c == '"':
			r.pos++
			return escaped, nil
		case c == '\\':
			escaped = true
			if err := r.skipEscape(); err != nil {
				return false, err
			}
		case c < 0x20:
			return false, r.syntaxError("control character in string")
		default: // non-ASCII: kept, but decoded the standard way
			escaped = true
			r.pos++
		}
	}
}

func (r *reader) skipEscape() error {
	if r.pos+1 >= len(r.data) {
		return r.syntaxError("unterminated escape")
	}
	switch r.data[r.pos+1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		r.pos += 2
		return nil
	case 'u':
		if r.pos+6 > len(r.data) {
			return r.syntaxError("short \\u escape")
		}
		for _, h := range r.data[r.pos+2 : r.pos+6] {
			if !isHex(h) {
				return r.syntaxError("bad \\u escape")
			}
		}
		r.pos += 6
		return nil
	}
	return r.syntaxError("bad escape")
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

// skipNumber moves past one number of the JSON grammar:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (r *reader) skipNumber() error {
	if r.data[r.pos] == '-' {
		r.pos++
	}
	switch {
	case r.pos < len(r.data) && r.data[r.pos] == '0':
		r.pos++
	case r.digits() == 0:
		return r.syntaxError("bad number")
	}
	if r.pos < len(r.data) && r.data[r.pos] == '.' {
		r.pos++
		if r.digits() == 0 {
			return r.syntaxError("bad number fraction")
		}
	}
	if r.pos < len(r.data) && (r.data[r.pos] == 'e' || r.data[r.pos] == 'E') {
		r.pos++
		if r.pos < len(r.data) && (r.data[r.pos] == '+' || r.data[r.pos] == '-') {
			r.pos++
		}
		if r.digits() == 0 {
			return r.syntaxError("bad number exponent")
		}
	}
	return nil
}

func (r *reader) digits() int {
	n := 0
	for r.pos < len(r.data) && r.data[r.pos] >= '0' && r.data[r.pos] <= '9' {
		r.pos++
		n++
	}
	return n
}

func (r *reader) skipWord(word string) error {
	if len(r.data)-r.pos < len(word) || string(r.data[r.pos:r.pos+len(word)]) != word {
		return r.syntaxError(fmt.Sprintf("expected %s", word))
	}
	r.pos += len(word)
	return nil
}
