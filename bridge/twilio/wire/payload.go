package wire

import (
	"encoding/base64"
	"fmt"
	"slices"
)

// base64Alphabet marks the bytes of the standard base64 alphabet.
var base64Alphabet = func() (table [256]bool) {
	for _, c := range []byte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") {
		table[c] = true
	}
	return table
}()

// checkBase64 accepts padded standard base64 and nothing else. It is
// stricter than encoding/base64, which skips line breaks, so that whatever
// passes decodes without error and PayloadLen is exact.
func checkBase64(text []byte) error {
	if len(text)%4 != 0 {
		return fmt.Errorf("%w: length %d is not a multiple of 4", ErrBadPayload, len(text))
	}
	for i, c := range text {
		if base64Alphabet[c] {
			continue
		}
		last := len(text) - 1
		if c == '=' && (i == last || (i == last-1 && text[last] == '=')) {
			continue
		}
		return fmt.Errorf("%w: byte %q at offset %d", ErrBadPayload, c, i)
	}
	return nil
}

// PayloadLen returns the number of audio bytes the payload decodes to: for
// μ-law, the number of samples.
func (m Media) PayloadLen() int {
	p := m.Payload
	n := len(p) / 4 * 3
	if len(p) > 0 && p[len(p)-1] == '=' {
		n--
	}
	if len(p) > 1 && p[len(p)-2] == '=' {
		n--
	}
	return n
}

// AppendPayload decodes the payload and appends the audio bytes to dst,
// returning the extended slice. Passing the previous frame's buffer
// truncated to zero length keeps decoding free of allocations.
func (m Media) AppendPayload(dst []byte) ([]byte, error) {
	n := base64.StdEncoding.DecodedLen(len(m.Payload))
	dst = slices.Grow(dst, n)
	written, err := base64.StdEncoding.Decode(dst[len(dst):len(dst)+n], m.Payload)
	if err != nil {
		return dst, fmt.Errorf("%w: %w", ErrBadPayload, err)
	}
	return dst[:len(dst)+written], nil
}

// EncodePayload returns audio as the text of a media payload: standard
// base64, padded.
func EncodePayload(audio []byte) []byte {
	return base64.StdEncoding.AppendEncode(nil, audio)
}
