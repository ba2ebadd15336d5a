package auth

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"
)

var keyPattern = regexp.MustCompile(`^cs_([a-z2-7]{16})_[a-z2-7]{52}$`)

func TestNewKey(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	s, k, err := NewKey("crm", NewScopes(ScopeStream), now)
	if err != nil {
		t.Fatal(err)
	}
	m := keyPattern.FindStringSubmatch(s)
	if m == nil || m[1] != k.ID {
		t.Fatalf("key %q does not match %s with id %s", s, keyPattern, k.ID)
	}
	if k.Name != "crm" || k.Scopes != NewScopes(ScopeStream) || !k.CreatedAt.Equal(now) || k.Revoked() {
		t.Errorf("record %+v", k)
	}
	if strings.Contains(string(k.Hash), s) || len(k.Hash) != 32 {
		t.Error("the record must hold a 32-byte hash, not the key")
	}
	if !k.matches(s) {
		t.Error("key does not match its own record")
	}
	other, _, _ := NewKey("crm", NewScopes(ScopeStream), now)
	if other == s || k.matches(other) {
		t.Error("two keys are equal or match each other")
	}
	// One changed character of the secret is another key.
	last := byte('a')
	if s[len(s)-1] == 'a' {
		last = 'b'
	}
	if k.matches(s[:len(s)-1] + string(last)) {
		t.Error("a tampered key matches")
	}
	if id, err := keyID(s); err != nil || id != k.ID {
		t.Errorf("keyID = %q, %v", id, err)
	}
}

func TestNewKeyRefuses(t *testing.T) {
	now := time.Unix(0, 0)
	if _, _, err := NewKey("x", 0, now); !errors.Is(err, ErrBadScope) {
		t.Errorf("no scopes: %v", err)
	}
	if _, _, err := NewKey(strings.Repeat("n", MaxNameLen+1), NewScopes(ScopeRead), now); !errors.Is(err, ErrBadRequest) {
		t.Errorf("long name: %v", err)
	}
	if _, _, err := NewKey("a\nb", NewScopes(ScopeRead), now); !errors.Is(err, ErrBadRequest) {
		t.Errorf("newline in name: %v", err)
	}
	if _, _, err := NewKey("", NewScopes(ScopeRead), now); err != nil {
		t.Errorf("empty name: %v", err)
	}
}

func TestKeyIDMalformed(t *testing.T) {
	good, _, _ := NewKey("", NewScopes(ScopeRead), time.Unix(0, 0))
	for _, s := range []string{
		"", "cs_", "cs_abc_def", good + "a", good[:len(good)-1], strings.ToUpper(good),
		"cs_" + strings.Repeat("a", 16) + "-" + strings.Repeat("b", 52),
		"cs_" + strings.Repeat("a", 16) + "_" + strings.Repeat("1", 52),
		"xx" + good[2:],
	} {
		if _, err := keyID(s); !errors.Is(err, ErrBadCredential) {
			t.Errorf("keyID(%q) = %v, want ErrBadCredential", s, err)
		}
	}
}
