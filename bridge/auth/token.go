package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"strings"
	"time"
)

// Token format: "cst_" + base64url(payload || mac), where payload is
//
//	version (1 byte) | scopes (1) | expiry, Unix seconds (8, big-endian) |
//	nonce (12) | key id (16)
//
// and mac is HMAC-SHA256 over tokenDomain || payload, keyed by the stored
// signing secret. Binary rather than JSON keeps a token about 90 characters,
// short enough for a query string. The nonce makes two tokens issued in the
// same second differ; it is not a replay guard (a token is a bearer
// credential for its few minutes, like the key it stands for).
const (
	tokenPrefix   = "cst_"
	tokenVersion  = 1
	nonceLen      = 12
	payloadLen    = 1 + 1 + 8 + nonceLen + idLen
	macLen        = sha256.Size
	tokenDomain   = "callscribe token v1\x00"
	tokenSecretID = "token-v1"
)

// claims is what a token says.
type claims struct {
	KeyID   string
	Scopes  Scopes
	Expires time.Time // whole seconds
	Nonce   [nonceLen]byte
}

// isToken reports whether s looks like a token rather than a key.
func isToken(s string) bool { return strings.HasPrefix(s, tokenPrefix) }

// newClaims returns claims with a fresh nonce, expiring at expires
// rounded up to the second, so that a token lives at least as asked.
func newClaims(keyID string, scopes Scopes, expires time.Time) (claims, error) {
	secs := expires.Unix()
	if expires.Nanosecond() > 0 {
		secs++
	}
	c := claims{KeyID: keyID, Scopes: scopes, Expires: time.Unix(secs, 0).UTC()}
	if _, err := rand.Read(c.Nonce[:]); err != nil {
		return c, fmt.Errorf("auth: random: %w", err)
	}
	return c, nil
}

// signToken encodes and signs c.
func signToken(secret []byte, c claims) string {
	b := make([]byte, 0, payloadLen+macLen)
	b = append(b, tokenVersion, byte(c.Scopes))
	b = binary.BigEndian.AppendUint64(b, uint64(c.Expires.Unix()))
	b = append(b, c.Nonce[:]...)
	b = append(b, c.KeyID...)
	b = append(b, tokenMAC(secret, b)...)
	return tokenPrefix + base64.RawURLEncoding.EncodeToString(b)
}

// parseToken checks the signature of s and decodes it. It does not look at
// the expiry or the key: the caller does, with its clock and store.
func parseToken(secret []byte, s string) (claims, error) {
	var c claims
	bad := func(why string) (claims, error) {
		return claims{}, fmt.Errorf("%w: %s", ErrBadCredential, why)
	}
	rest, ok := strings.CutPrefix(s, tokenPrefix)
	if !ok || base64.RawURLEncoding.DecodedLen(len(rest)) != payloadLen+macLen {
		return bad("malformed token")
	}
	b, err := base64.RawURLEncoding.DecodeString(rest)
	if err != nil || len(b) != payloadLen+macLen {
		return bad("malformed token")
	}
	payload, mac := b[:payloadLen], b[payloadLen:]
	// The MAC first, compared in constant time: nothing of an unsigned
	// payload is trusted, not even its version.
	if !hmac.Equal(mac, tokenMAC(secret, payload)) {
		return bad("token signature mismatch")
	}
	if payload[0] != tokenVersion {
		return bad("unknown token version")
	}
	c.Scopes = Scopes(payload[1])
	c.Expires = time.Unix(int64(binary.BigEndian.Uint64(payload[2:10])), 0).UTC()
	copy(c.Nonce[:], payload[10:10+nonceLen])
	c.KeyID = string(payload[10+nonceLen:])
	return c, nil
}

func tokenMAC(secret, payload []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(tokenDomain))
	m.Write(payload)
	return m.Sum(nil)
}

// expired reports whether the token is past its expiry at now.
func (c claims) expired(now time.Time) bool { return !now.Before(c.Expires) }

// tokenTTL resolves a requested lifetime: 0 takes def; otherwise it must be
// positive and at most max.
func tokenTTL(requested, def, max time.Duration) (time.Duration, error) {
	switch {
	case requested == 0:
		return def, nil
	case requested < time.Second:
		return 0, fmt.Errorf("%w: token lifetime must be at least 1s", ErrBadRequest)
	case requested > max:
		return 0, fmt.Errorf("%w: token lifetime %s exceeds the maximum %s", ErrBadRequest, requested, max)
	}
	return requested, nil
}

// tokenScopes checks the scopes requested for a token of a key with
// keyScopes: at least one, never admin, all allowed by the key.
func tokenScopes(requested, keyScopes Scopes) error {
	switch {
	case requested == 0:
		return fmt.Errorf("%w: a token needs at least one scope (stream, read)", ErrBadScope)
	case requested.Contains(ScopeAdmin):
		return fmt.Errorf("%w: tokens cannot carry the admin scope", ErrBadScope)
	case !keyScopes.Covers(requested):
		return fmt.Errorf("%w: the key has %s, the token asks for %s", ErrForbidden, keyScopes, requested)
	}
	return nil
}
