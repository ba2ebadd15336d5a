package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"fmt"
	"strings"
	"time"
	"unicode"
)

// Key format: "cs_" + id + "_" + secret, both lower-case base32 (letters
// and 2-7, so a double click selects the whole key and no URL escaping is
// ever needed).
const (
	keyPrefix = "cs_"
	// idBytes of randomness make a 16-character id: unique without
	// coordination between nodes, and short enough to read in a list.
	idBytes = 10
	idLen   = 16
	// secretBytes is 256 bits from crypto/rand: far beyond guessing, which
	// is what lets a plain SHA-256 stand in for a password hash.
	secretBytes = 32
	secretLen   = 52
	// MaxNameLen bounds a key's name.
	MaxNameLen = 100
)

// b32 is lower-case base32 without padding.
var b32 = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// Key is a stored API key: everything about it but the key itself, of
// which only a hash is kept.
type Key struct {
	// ID is the public part of the key, shown in lists and logs.
	ID string
	// Name is the operator's label ("crm-bridge", "ops laptop").
	Name string
	// Scopes are what the key may do, as given when it was made.
	Scopes Scopes
	// Hash is the SHA-256 of the whole key string.
	Hash []byte
	// CreatedAt is when the key was made.
	CreatedAt time.Time
	// LastUsedAt is when the key (or a token of it) last authenticated a
	// request, to the minute (Config.TouchInterval); zero if never.
	LastUsedAt time.Time
	// RevokedAt is when the key was revoked; zero while it is valid.
	RevokedAt time.Time
}

// Revoked reports whether the key was revoked.
func (k Key) Revoked() bool { return !k.RevokedAt.IsZero() }

// NewKey makes a key with a fresh id and secret. It returns the key string,
// to show once, and the record to store.
func NewKey(name string, scopes Scopes, now time.Time) (string, Key, error) {
	if err := checkName(name); err != nil {
		return "", Key{}, err
	}
	if scopes == 0 || scopes&^AllScopes != 0 {
		return "", Key{}, fmt.Errorf("%w: a key needs at least one of stream, read, admin", ErrBadScope)
	}
	buf := make([]byte, idBytes+secretBytes)
	if _, err := rand.Read(buf); err != nil {
		return "", Key{}, fmt.Errorf("auth: random: %w", err)
	}
	id := b32.EncodeToString(buf[:idBytes])
	s := keyPrefix + id + "_" + b32.EncodeToString(buf[idBytes:])
	return s, Key{ID: id, Name: name, Scopes: scopes, Hash: hashKey(s), CreatedAt: now}, nil
}

// hashKey is the stored hash of a key string. SHA-256 rather than bcrypt
// or argon2: those slow hashes protect low-entropy passwords against
// guessing, and a 256-bit random secret cannot be guessed, so the slow hash
// would only make every request (every audio stream, every poll) pay tens
// of milliseconds of CPU. Hashing the whole string binds the id too.
func hashKey(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

// matches reports, in constant time, whether s is this key.
func (k Key) matches(s string) bool {
	return subtle.ConstantTimeCompare(hashKey(s), k.Hash) == 1
}

// isKey reports whether s looks like a key rather than a token.
func isKey(s string) bool { return strings.HasPrefix(s, keyPrefix) }

// keyID returns the id of a well-formed key string, or ErrBadCredential.
func keyID(s string) (string, error) {
	rest, ok := strings.CutPrefix(s, keyPrefix)
	if !ok || len(rest) != idLen+1+secretLen || rest[idLen] != '_' ||
		!isB32(rest[:idLen]) || !isB32(rest[idLen+1:]) {
		return "", fmt.Errorf("%w: malformed key", ErrBadCredential)
	}
	return rest[:idLen], nil
}

// ValidKeyID reports whether id has the form of a key id.
func ValidKeyID(id string) bool { return len(id) == idLen && isB32(id) }

func isB32(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 'a' || c > 'z') && (c < '2' || c > '7') {
			return false
		}
	}
	return true
}

// checkName accepts printable names up to MaxNameLen characters.
func checkName(name string) error {
	if len([]rune(name)) > MaxNameLen {
		return fmt.Errorf("%w: name longer than %d characters", ErrBadRequest, MaxNameLen)
	}
	for _, r := range name {
		if !unicode.IsPrint(r) {
			return fmt.Errorf("%w: name has a non-printable character %q", ErrBadRequest, r)
		}
	}
	return nil
}
