package auth

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestKeysAPI(t *testing.T) {
	rg := newRig(t, Config{})
	admin, adminKey := rg.key(t, ScopeAdmin)
	rg.clock.Advance(time.Second) // the list is oldest first
	read, _ := rg.key(t, ScopeRead)
	auth := "Bearer " + admin

	r := rg.do(t, "POST", "/v1/keys", auth, `{"scopes":["stream","read"],"name":"crm"}`)
	if r.code != 201 || !keyPattern.MatchString(r.str("key")) || r.str("name") != "crm" || r.body["revoked"] != false {
		t.Fatalf("create: %d %v", r.code, r.body)
	}
	created, id := r.str("key"), r.str("id")
	if !strings.Contains(created, id) {
		t.Errorf("key %q does not carry its id %q", created, id)
	}
	if r := rg.do(t, "GET", "/v1/calls", "Bearer "+created, ""); r.code != 200 {
		t.Errorf("the new key on /v1/calls: %d", r.code)
	}

	for _, c := range []struct {
		name, authorization, body string
		code                      int
	}{
		{"read key", "Bearer " + read, `{"scopes":"read"}`, 403},
		{"no key", "", `{"scopes":"read"}`, 401},
		{"no scopes", auth, `{"name":"x"}`, 400},
		{"unknown scope", auth, `{"scopes":["write"]}`, 400},
		{"unknown field", auth, `{"scopes":"read","secret":"mine"}`, 400},
		{"not JSON", auth, `scopes=read`, 400},
	} {
		if r := rg.do(t, "POST", "/v1/keys", c.authorization, c.body); r.code != c.code {
			t.Errorf("create, %s: %d %v, want %d", c.name, r.code, r.body, c.code)
		}
	}

	r = rg.do(t, "GET", "/v1/keys", auth, "")
	keys, _ := r.body["keys"].([]any)
	if r.code != 200 || len(keys) != 3 {
		t.Fatalf("list: %d %v", r.code, r.body)
	}
	for _, k := range keys {
		m := k.(map[string]any)
		if _, ok := m["key"]; ok || m["hash"] != nil || m["Hash"] != nil {
			t.Errorf("listed key shows a secret or hash: %v", m)
		}
	}
	if keys[0].(map[string]any)["id"] != adminKey.ID {
		t.Errorf("list not oldest first: %v", keys)
	}

	if r := rg.do(t, "DELETE", "/v1/keys/"+id, auth, ""); r.code != 204 {
		t.Errorf("revoke: %d %v", r.code, r.body)
	}
	if r := rg.do(t, "DELETE", "/v1/keys/"+id, auth, ""); r.code != 204 {
		t.Errorf("revoke again: %d", r.code)
	}
	if r := rg.do(t, "DELETE", "/v1/keys/aaaaaaaaaaaaaaaa", auth, ""); r.code != 404 {
		t.Errorf("revoke unknown: %d", r.code)
	}
	if r := rg.do(t, "GET", "/v1/calls", "Bearer "+created, ""); r.code != 401 || r.str("error") != "key revoked" {
		t.Errorf("revoked key: %d %v", r.code, r.body)
	}
}

func TestTokensAPI(t *testing.T) {
	rg := newRig(t, Config{})
	sr, k := rg.key(t, ScopeStream, ScopeRead)
	read, _ := rg.key(t, ScopeRead)

	r := rg.do(t, "POST", "/v1/tokens", "Bearer "+sr, `{"scopes":["read"],"ttl_seconds":60}`)
	tok := r.str("token")
	if r.code != 201 || !strings.HasPrefix(tok, "cst_") || r.str("expires_at") != rg.clock.Now().Add(time.Minute).Format(time.RFC3339) {
		t.Fatalf("issue: %d %v", r.code, r.body)
	}
	res := rg.do(t, "GET", "/v1/calls?token="+tok, "", "")
	p, _ := res.body["principal"].(map[string]any)
	if res.code != 200 || p["via"] != "token" || p["key_id"] != k.ID {
		t.Errorf("token on /v1/calls: %d %v", res.code, res.body)
	}
	// Narrower than the key: read only.
	if _, status, _ := rg.dial(t, "/v1/listen?token="+tok, nil); status != 403 {
		t.Errorf("read token on /v1/listen: %d, want 403", status)
	}
	for _, c := range []struct {
		name, authorization, body string
		code                      int
	}{
		{"wider than the key", "Bearer " + read, `{"scopes":["stream"]}`, 403},
		{"admin", "Bearer " + sr, `{"scopes":["admin"]}`, 400},
		{"no scopes", "Bearer " + sr, `{}`, 400},
		{"too long", "Bearer " + sr, `{"scopes":"read","ttl_seconds":3601}`, 400},
		{"negative", "Bearer " + sr, `{"scopes":"read","ttl_seconds":-5}`, 400},
		{"a token for a token", "Bearer " + tok, `{"scopes":"read"}`, 403},
		{"no credential", "", `{"scopes":"read"}`, 401},
	} {
		if r := rg.do(t, "POST", "/v1/tokens", c.authorization, c.body); r.code != c.code {
			t.Errorf("%s: %d %v, want %d", c.name, r.code, r.body, c.code)
		}
	}
	// Default lifetime, then expiry.
	r = rg.do(t, "POST", "/v1/tokens", "Token "+sr, `{"scopes":"stream,read"}`)
	def := r.str("token")
	if r.str("expires_at") != rg.clock.Now().Add(5*time.Minute).Format(time.RFC3339) {
		t.Errorf("default lifetime: %v", r.body)
	}
	rg.clock.Advance(5 * time.Minute)
	if r := rg.do(t, "GET", "/v1/calls?token="+def, "", ""); r.code != 401 || r.str("error") != "token expired" {
		t.Errorf("expired token: %d %v", r.code, r.body)
	}
}

func TestTokensAPIDisabled(t *testing.T) {
	rg := newRig(t, Config{Disabled: true})
	r := rg.do(t, "POST", "/v1/tokens", "", `{"scopes":"read"}`)
	if r.code != 201 || r.str("token") != "" {
		t.Errorf("disabled: %d %v", r.code, r.body)
	}
}

// failingStore fails every read, as a database that is down would.
type failingStore struct{ *MemoryStore }

func (failingStore) Key(context.Context, string) (Key, error) {
	return Key{}, errors.New("connection refused")
}

func TestStoreDown(t *testing.T) {
	rg := newRig(t, Config{}, func(m *MemoryStore) KeyStore { return failingStore{m} })
	key, _ := rg.key(t, ScopeRead)
	if _, err := rg.a.Verify(t.Context(), key, ScopeRead); err == nil || errors.Is(err, ErrBadCredential) {
		t.Errorf("Verify with the store down = %v; want an error that is not the client's fault", err)
	}
	r := rg.do(t, "GET", "/v1/calls", "Bearer "+key, "")
	if r.code != 503 || strings.Contains(r.str("error"), "refused") {
		t.Errorf("store down: %d %v; want 503 without the store's error", r.code, r.body)
	}
	// Store errors are not the client's: they do not count as failures.
	for range 20 {
		rg.do(t, "GET", "/v1/calls", "Bearer "+key, "")
	}
	if r := rg.do(t, "GET", "/v1/calls", "Bearer "+key, ""); r.code != 503 {
		t.Errorf("after 20 store errors: %d, want 503 still", r.code)
	}
}
