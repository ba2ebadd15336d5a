package auth

import (
	"net/http"
	"strings"
	"testing"
)

func TestRequireTwilio(t *testing.T) {
	v, sig := loadVectors(t)
	rg := newRig(t, Config{Twilio: TwilioConfig{
		AuthTokens: []string{v.Secondary, v.Primary},
		// The test server listens on 127.0.0.1:port; Twilio called the
		// public name, which the signatures were made for.
		PublicURL: "https://callscribe.example.com",
	}})
	stream, _ := rg.key(t, ScopeStream)
	read, _ := rg.key(t, ScopeRead)
	for _, c := range []struct {
		name   string
		header http.Header
		msg    string
		status int
	}{
		{"signed by Twilio", http.Header{"X-Twilio-Signature": {sig["plain"]}}, "twilio:twilio", 101},
		{"signed with the other token", http.Header{"X-Twilio-Signature": {sig["secondary"]}}, "twilio:twilio", 101},
		{"bad signature", http.Header{"X-Twilio-Signature": {sig["ws-scheme"]}}, "", 401},
		{"bad signature but a key", http.Header{"X-Twilio-Signature": {sig["ws-scheme"]}, "Authorization": {"Bearer " + stream}}, "key:test", 101},
		{"a key, no signature", http.Header{"Authorization": {"Bearer " + stream}}, "key:test", 101},
		{"a key without stream", http.Header{"Authorization": {"Bearer " + read}}, "", 403},
		{"nothing", nil, "", 401},
	} {
		t.Run(c.name, func(t *testing.T) {
			msg, status, body := rg.dial(t, "/v1/twilio", c.header)
			if status != c.status || msg != c.msg {
				t.Errorf("got %d %q %s, want %d %q", status, msg, body, c.status, c.msg)
			}
			if c.name == "bad signature" && !strings.Contains(body, "invalid Twilio signature") {
				t.Errorf("refusal body %q", body)
			}
		})
	}
}

// TestAllowTwilio: the same checks, but a request with no signature and no
// credential is let through without a Principal (":" from the echo), for
// the transport to check a key among the stream's parameters.
func TestAllowTwilio(t *testing.T) {
	v, sig := loadVectors(t)
	rg := newRig(t, Config{Twilio: TwilioConfig{AuthTokens: []string{v.Primary}, PublicURL: "https://callscribe.example.com"}})
	stream, _ := rg.key(t, ScopeStream)
	read, _ := rg.key(t, ScopeRead)
	for _, c := range []struct {
		name   string
		header http.Header
		msg    string
		status int
	}{
		{"nothing: deferred", nil, ":", 101},
		{"bad signature", http.Header{"X-Twilio-Signature": {sig["ws-scheme"]}}, "", 401},
		{"bad key", http.Header{"Authorization": {"Bearer cs_nope"}}, "", 401},
		{"a key without stream", http.Header{"Authorization": {"Bearer " + read}}, "", 403},
		{"a key", http.Header{"Authorization": {"Bearer " + stream}}, "key:test", 101},
	} {
		t.Run(c.name, func(t *testing.T) {
			msg, status, body := rg.dial(t, "/v1/twilio-deferred", c.header)
			if status != c.status || msg != c.msg {
				t.Errorf("got %d %q %s, want %d %q", status, msg, body, c.status, c.msg)
			}
		})
	}
}
