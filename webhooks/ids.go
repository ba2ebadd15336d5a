package webhooks

import (
	"crypto/rand"
	"encoding/base32"
	"strings"
)

var idEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// newID returns prefix followed by 26 random base32 characters (128 bits).
// The result never contains '.', which the signature scheme reserves.
func newID(prefix string) string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return prefix + strings.ToLower(idEncoding.EncodeToString(b[:]))
}
