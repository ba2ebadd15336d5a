package auth

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestParseScopes(t *testing.T) {
	for _, c := range []struct {
		in      string
		want    Scopes
		errHint string // part of the error message, when one is expected
	}{
		{in: "stream", want: NewScopes(ScopeStream)},
		{in: "stream,read", want: NewScopes(ScopeStream, ScopeRead)},
		{in: " Read , STREAM ", want: NewScopes(ScopeStream, ScopeRead)},
		{in: "admin,admin", want: NewScopes(ScopeAdmin)},
		{in: "stream,read,admin", want: AllScopes},
		{in: "", errHint: "no scope given"},
		{in: "  ", errHint: "no scope given"},
		{in: "stream,,read", errHint: "empty scope at position 2"},
		{in: "stream,", errHint: "empty scope at position 2"},
		{in: "stream,write", errHint: `unknown scope "write"`},
	} {
		got, err := ParseScopes(c.in)
		if c.errHint != "" {
			if !errors.Is(err, ErrBadScope) || !strings.Contains(err.Error(), c.errHint) {
				t.Errorf("ParseScopes(%q) = %v, %v; want an error mentioning %q", c.in, got, err, c.errHint)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("ParseScopes(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
}

func TestScopesAdminImpliesAll(t *testing.T) {
	admin := NewScopes(ScopeAdmin)
	for _, s := range allScopes {
		if !admin.Allows(s) {
			t.Errorf("admin does not allow %s", s)
		}
	}
	if admin.Contains(ScopeRead) {
		t.Error("Contains is literal: admin does not contain read")
	}
	stream := NewScopes(ScopeStream)
	if stream.Allows(ScopeRead) || stream.Allows(ScopeAdmin) || !stream.Allows(ScopeStream) {
		t.Error("stream allows more or less than stream")
	}
	for _, c := range []struct {
		have, want Scopes
		covers     bool
	}{
		{admin, NewScopes(ScopeStream, ScopeRead), true},
		{NewScopes(ScopeStream, ScopeRead), NewScopes(ScopeRead), true},
		{NewScopes(ScopeRead), NewScopes(ScopeStream, ScopeRead), false},
		{NewScopes(ScopeRead), admin, false},
		{NewScopes(ScopeRead), 0, true},
	} {
		if got := c.have.Covers(c.want); got != c.covers {
			t.Errorf("%v covers %v = %v, want %v", c.have, c.want, got, c.covers)
		}
	}
}

func TestScopesJSON(t *testing.T) {
	b, err := json.Marshal(NewScopes(ScopeRead, ScopeStream))
	if err != nil || string(b) != `["stream","read"]` {
		t.Errorf("Marshal = %s, %v", b, err)
	}
	if b, _ := json.Marshal(Scopes(0)); string(b) != `[]` {
		t.Errorf("empty set = %s, want []", b)
	}
	for in, want := range map[string]Scopes{`["read","admin"]`: NewScopes(ScopeRead, ScopeAdmin), `"stream, read"`: NewScopes(ScopeStream, ScopeRead)} {
		var s Scopes
		if err := json.Unmarshal([]byte(in), &s); err != nil || s != want {
			t.Errorf("Unmarshal(%s) = %v, %v", in, s, err)
		}
	}
	for _, in := range []string{`[]`, `["nope"]`, `42`, `""`, `null`} {
		var s Scopes
		if err := json.Unmarshal([]byte(in), &s); !errors.Is(err, ErrBadScope) {
			t.Errorf("Unmarshal(%s) = %v, want ErrBadScope", in, err)
		}
	}
}
