package auth

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"
)

var tokenSecret = []byte("0123456789abcdef0123456789abcdef")

func TestTokenRoundTrip(t *testing.T) {
	exp := time.Date(2026, 3, 1, 12, 5, 0, 0, time.UTC)
	c, err := newClaims("abcdefghijklmnop", NewScopes(ScopeRead), exp.Add(-700*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	s := signToken(tokenSecret, c)
	if !strings.HasPrefix(s, "cst_") || len(s) > 100 {
		t.Errorf("token %q: want cst_ and under 100 characters", s)
	}
	got, err := parseToken(tokenSecret, s)
	if err != nil {
		t.Fatal(err)
	}
	if got.KeyID != "abcdefghijklmnop" || got.Scopes != NewScopes(ScopeRead) || !got.Expires.Equal(exp) || got.Nonce != c.Nonce {
		t.Errorf("parsed %+v, want %+v", got, c)
	}
	c2, _ := newClaims("abcdefghijklmnop", NewScopes(ScopeRead), exp)
	if signToken(tokenSecret, c2) == s {
		t.Error("two tokens for the same key and second are equal: the nonce is missing")
	}
}

func TestTokenExpiry(t *testing.T) {
	exp := time.Date(2026, 3, 1, 12, 5, 0, 0, time.UTC)
	c := claims{Expires: exp}
	if c.expired(exp.Add(-time.Nanosecond)) || !c.expired(exp) || !c.expired(exp.Add(time.Hour)) {
		t.Error("a token is valid strictly before its expiry")
	}
}

func TestTokenTampered(t *testing.T) {
	c, _ := newClaims("abcdefghijklmnop", NewScopes(ScopeRead), time.Unix(1_800_000_000, 0))
	s := signToken(tokenSecret, c)
	raw, _ := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(s, "cst_"))
	flip := func(i int) string {
		b := append([]byte(nil), raw...)
		b[i] ^= 0x04
		return "cst_" + base64.RawURLEncoding.EncodeToString(b)
	}
	cases := map[string]string{
		"scopes widened":  flip(1),
		"expiry moved":    flip(9),
		"key id changed":  flip(payloadLen - 1),
		"mac changed":     flip(len(raw) - 1),
		"truncated":       s[:len(s)-4],
		"extended":        s + "AAAA",
		"not base64":      "cst_" + strings.Repeat("!", len(s)-4),
		"a key":           "cs_" + s[4:],
		"empty":           "cst_",
		"other secret":    signToken([]byte("another secret, also 32 bytes..."), c),
		"version changed": flip(0),
	}
	for name, bad := range cases {
		if _, err := parseToken(tokenSecret, bad); !errors.Is(err, ErrBadCredential) {
			t.Errorf("%s: %v, want ErrBadCredential", name, err)
		}
	}
}

func TestTokenPolicy(t *testing.T) {
	const def, max = 5 * time.Minute, time.Hour
	for _, c := range []struct {
		in, want time.Duration
		ok       bool
	}{
		{0, def, true}, {30 * time.Second, 30 * time.Second, true}, {time.Hour, time.Hour, true},
		{time.Hour + time.Second, 0, false}, {-time.Second, 0, false}, {time.Millisecond, 0, false},
	} {
		got, err := tokenTTL(c.in, def, max)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("tokenTTL(%s) = %s, %v", c.in, got, err)
		}
	}
	read, sr := NewScopes(ScopeRead), NewScopes(ScopeStream, ScopeRead)
	for _, c := range []struct {
		req, key Scopes
		want     error
	}{
		{read, sr, nil},
		{sr, NewScopes(ScopeAdmin), nil},
		{sr, read, ErrForbidden},
		{NewScopes(ScopeAdmin), NewScopes(ScopeAdmin), ErrBadScope},
		{0, sr, ErrBadScope},
	} {
		if err := tokenScopes(c.req, c.key); !errors.Is(err, c.want) || (c.want == nil && err != nil) {
			t.Errorf("tokenScopes(%v of %v) = %v, want %v", c.req, c.key, err, c.want)
		}
	}
}
