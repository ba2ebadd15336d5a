package auth

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestRequire(t *testing.T) {
	rg := newRig(t, Config{})
	read, readKey := rg.key(t, ScopeRead)
	stream, _ := rg.key(t, ScopeStream)
	admin, _ := rg.key(t, ScopeAdmin)
	revoked, revokedKey := rg.key(t, ScopeRead)
	if err := rg.store.RevokeKey(t.Context(), revokedKey.ID, rg.clock.Now()); err != nil {
		t.Fatal(err)
	}
	forged := read[:len(read)-3] + "aaa"
	if forged == read {
		forged = read[:len(read)-3] + "bbb"
	}
	for _, c := range []struct {
		name, path, authorization string
		code                      int
		challenge, errHint        string
	}{
		{"no credential", "/v1/calls", "", 401, `Bearer realm="callscribe"`, "no credential"},
		{"unknown scheme", "/v1/calls", "Basic dXNlcjpwdw==", 401, `error="invalid_token"`, "invalid credential"},
		{"garbage", "/v1/calls", "Bearer hello", 401, `error="invalid_token"`, "invalid credential"},
		{"forged secret", "/v1/calls", "Bearer " + forged, 401, `error="invalid_token"`, "invalid credential"},
		{"revoked", "/v1/calls", "Bearer " + revoked, 401, `error="invalid_token"`, "key revoked"},
		{"wrong scope", "/v1/calls", "Bearer " + stream, 403, `error="insufficient_scope", scope="read"`, `lacks the "read" scope`},
		{"bearer", "/v1/calls", "Bearer " + read, 200, "", ""},
		{"token scheme (Deepgram)", "/v1/calls", "Token " + read, 200, "", ""},
		{"query", "/v1/calls?token=" + read + "&from_seq=2", "", 200, "", ""},
		{"admin implies read", "/v1/calls", "Bearer " + admin, 200, "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := rg.do(t, "GET", c.path, c.authorization, "")
			if r.code != c.code {
				t.Fatalf("status %d, want %d (%v)", r.code, c.code, r.body)
			}
			if c.code == 200 {
				if q := r.str("query"); strings.Contains(q, "token") {
					t.Errorf("the handler saw the token in its query: %q", q)
				}
				return
			}
			if got := r.header.Get("WWW-Authenticate"); !strings.Contains(got, c.challenge) {
				t.Errorf("WWW-Authenticate %q, want it to contain %q", got, c.challenge)
			}
			if !strings.Contains(r.str("error"), c.errHint) {
				t.Errorf("error %q, want it to mention %q", r.str("error"), c.errHint)
			}
		})
	}
	r := rg.do(t, "GET", "/v1/calls", "Bearer "+read, "")
	p, _ := r.body["principal"].(map[string]any)
	if p["key_id"] != readKey.ID || p["via"] != "key" || r.body["ok"] != true {
		t.Errorf("principal in context = %v", r.body)
	}
	// The last use is recorded, once per interval.
	if k, _ := rg.store.Key(t.Context(), readKey.ID); !k.LastUsedAt.Equal(rg.clock.Now()) {
		t.Errorf("last used %v, want %v", k.LastUsedAt, rg.clock.Now())
	}
}

func TestWebSocketRefusedBeforeUpgrade(t *testing.T) {
	rg := newRig(t, Config{})
	stream, _ := rg.key(t, ScopeStream)
	read, _ := rg.key(t, ScopeRead)

	msg, status, body := rg.dial(t, "/v1/listen", nil)
	if status != http.StatusUnauthorized || !strings.Contains(body, `"error"`) {
		t.Errorf("dial without a key: %d %q (message %q), want 401 with a JSON reason", status, body, msg)
	}
	if _, status, _ = rg.dial(t, "/v1/listen?token="+read, nil); status != http.StatusForbidden {
		t.Errorf("dial with a read key: %d, want 403", status)
	}
	msg, status, _ = rg.dial(t, "/v1/listen?token="+stream, nil)
	if status != http.StatusSwitchingProtocols || msg != "key:test" {
		t.Errorf("dial with ?token=: %d %q", status, msg)
	}
	msg, _, _ = rg.dial(t, "/v1/listen", http.Header{"Authorization": {"Token " + stream}})
	if msg != "key:test" {
		t.Errorf("dial with Authorization: Token: %q", msg)
	}
}

func TestTooManyFailures(t *testing.T) {
	rg := newRig(t, Config{MaxFailures: 3, Backoff: 5 * time.Minute})
	good, _ := rg.key(t, ScopeRead)
	// Requests without a credential guess nothing and are not counted.
	for range 5 {
		if r := rg.do(t, "GET", "/v1/calls", "", ""); r.code != 401 {
			t.Fatalf("no credential: %d", r.code)
		}
	}
	for i := range 3 {
		if r := rg.do(t, "GET", "/v1/calls", "Bearer cs_guess", ""); r.code != 401 {
			t.Fatalf("guess %d: %d, want 401", i, r.code)
		}
	}
	// Blocked now, even with a good key: a check would tell a guesser
	// whether it guessed right.
	r := rg.do(t, "GET", "/v1/calls", "Bearer "+good, "")
	if r.code != http.StatusTooManyRequests || r.header.Get("Retry-After") != "300" || !strings.Contains(r.str("error"), "retry in 300s") {
		t.Fatalf("after 3 failures: %d, Retry-After %q, %v", r.code, r.header.Get("Retry-After"), r.body)
	}
	if _, status, _ := rg.dial(t, "/v1/listen", nil); status != http.StatusTooManyRequests {
		t.Errorf("WebSocket while blocked: %d, want 429", status)
	}
	rg.clock.Advance(4 * time.Minute)
	if r := rg.do(t, "GET", "/v1/calls", "Bearer "+good, ""); r.header.Get("Retry-After") != "60" {
		t.Errorf("a minute before the end: %d, Retry-After %q", r.code, r.header.Get("Retry-After"))
	}
	rg.clock.Advance(time.Minute)
	if r := rg.do(t, "GET", "/v1/calls", "Bearer "+good, ""); r.code != 200 {
		t.Errorf("after the back-off: %d", r.code)
	}
}

func TestDisabled(t *testing.T) {
	rg := newRig(t, Config{Disabled: true})
	r := rg.do(t, "GET", "/v1/calls", "", "")
	p, _ := r.body["principal"].(map[string]any)
	if r.code != 200 || p["via"] != "insecure" {
		t.Errorf("disabled: %d %v", r.code, r.body)
	}
	if msg, _, _ := rg.dial(t, "/v1/listen", nil); msg != "insecure:insecure" {
		t.Errorf("disabled WebSocket: %q", msg)
	}
	if msg, _, _ := rg.dial(t, "/v1/twilio", nil); msg != "insecure:insecure" {
		t.Errorf("disabled Twilio: %q", msg)
	}
	if _, err := New(Config{}, nil); err == nil {
		t.Error("New without a store accepted while enabled")
	}
}
