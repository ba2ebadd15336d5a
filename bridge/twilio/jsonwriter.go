package twilio

import (
	"strconv"
	"unicode/utf8"
)

// jsonWriter builds one JSON object member by member, in the order the
// platform writes them, so that StreamEncoder's output can be compared with
// captured messages byte for byte. Writing members directly also spares a
// struct type per message and a string type for the counters the platform
// sends as digits in quotes.
type jsonWriter struct {
	buf []byte
	// members counts the members written at each open nesting level, to
	// place the commas.
	members [4]int
	depth   int
}

func (w *jsonWriter) begin() {
	w.buf = append(w.buf, '{')
	w.depth++
	w.members[w.depth] = 0
}

func (w *jsonWriter) end() {
	w.buf = append(w.buf, '}')
	w.depth--
}

func (w *jsonWriter) key(k string) {
	if w.members[w.depth] > 0 {
		w.buf = append(w.buf, ',')
	}
	w.members[w.depth]++
	w.buf = appendJSONString(w.buf, k)
	w.buf = append(w.buf, ':')
}

// object opens a nested object as the value of k; close it with end.
func (w *jsonWriter) object(k string) {
	w.key(k)
	w.begin()
}

func (w *jsonWriter) str(k, v string) {
	w.key(k)
	w.buf = appendJSONString(w.buf, v)
}

// counter writes n as a string of digits, the way the platform sends
// sequence numbers, chunk counters and timestamps.
func (w *jsonWriter) counter(k string, n int64) {
	w.key(k)
	w.buf = append(w.buf, '"')
	w.buf = strconv.AppendInt(w.buf, n, 10)
	w.buf = append(w.buf, '"')
}

func (w *jsonWriter) number(k string, n int64) {
	w.key(k)
	w.buf = strconv.AppendInt(w.buf, n, 10)
}

func (w *jsonWriter) strings(k string, vs []string) {
	w.key(k)
	w.buf = append(w.buf, '[')
	for i, v := range vs {
		if i > 0 {
			w.buf = append(w.buf, ',')
		}
		w.buf = appendJSONString(w.buf, v)
	}
	w.buf = append(w.buf, ']')
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string. Invalid UTF-8 becomes U+FFFD,
// as encoding/json does, so that the output is always valid JSON text.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			dst = append(dst, '\\', c)
		case c < 0x20:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		case c < utf8.RuneSelf:
			dst = append(dst, c)
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				dst = append(dst, `\ufffd`...)
			} else {
				dst = append(dst, s[i:i+size]...)
			}
			i += size
			continue
		}
		i++
	}
	return append(dst, '"')
}
