package auth

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Scope is one permission a key or token may grant.
type Scope uint8

// The scopes. Their values are bits of a Scopes set.
const (
	// ScopeStream sends call audio: /v1/twilio, /v1/listen, WebRTC and
	// /v1/transcribe.
	ScopeStream Scope = 1 << iota
	// ScopeRead reads calls: /v1/calls, their events and transcripts.
	ScopeRead
	// ScopeAdmin administers the service: webhook endpoints and
	// deliveries, keys, metrics. It implies the other scopes.
	ScopeAdmin
)

// allScopes lists the scopes in their canonical order.
var allScopes = []Scope{ScopeStream, ScopeRead, ScopeAdmin}

// String returns the scope's name: "stream", "read" or "admin".
func (s Scope) String() string {
	switch s {
	case ScopeStream:
		return "stream"
	case ScopeRead:
		return "read"
	case ScopeAdmin:
		return "admin"
	}
	return fmt.Sprintf("Scope(%d)", uint8(s))
}

// ParseScope parses one scope name, ignoring case and surrounding space.
func ParseScope(name string) (Scope, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	for _, s := range allScopes {
		if s.String() == n {
			return s, nil
		}
	}
	return 0, fmt.Errorf("%w: unknown scope %q (want stream, read or admin)", ErrBadScope, name)
}

// Scopes is a set of scopes. The zero value is the empty set.
type Scopes uint8

// NewScopes returns the set of the given scopes.
func NewScopes(list ...Scope) Scopes {
	var s Scopes
	for _, x := range list {
		s |= Scopes(x)
	}
	return s
}

// AllScopes is the set of every scope.
const AllScopes = Scopes(ScopeStream | ScopeRead | ScopeAdmin)

// ParseScopes parses a comma-separated list such as "stream,read". The
// list must name at least one scope; an empty item ("stream,,read") or an
// unknown name is an error that says which.
func ParseScopes(list string) (Scopes, error) {
	if strings.TrimSpace(list) == "" {
		return 0, fmt.Errorf("%w: no scope given (want a comma-separated list of stream, read, admin)", ErrBadScope)
	}
	return parseNames(strings.Split(list, ","))
}

func parseNames(names []string) (Scopes, error) {
	if len(names) == 0 {
		return 0, fmt.Errorf("%w: no scope given", ErrBadScope)
	}
	var s Scopes
	for i, n := range names {
		if strings.TrimSpace(n) == "" {
			return 0, fmt.Errorf("%w: empty scope at position %d", ErrBadScope, i+1)
		}
		x, err := ParseScope(n)
		if err != nil {
			return 0, err
		}
		s |= Scopes(x)
	}
	return s, nil
}

// Contains reports whether x is literally in the set.
func (s Scopes) Contains(x Scope) bool { return s&Scopes(x) != 0 }

// Effective returns the set with what admin implies: every scope.
func (s Scopes) Effective() Scopes {
	if s.Contains(ScopeAdmin) {
		return AllScopes
	}
	return s
}

// Allows reports whether the set permits x: it contains x, or admin.
func (s Scopes) Allows(x Scope) bool { return s.Effective().Contains(x) }

// Covers reports whether every scope of o is allowed by s.
func (s Scopes) Covers(o Scopes) bool { return o&^s.Effective() == 0 }

// Names lists the scopes of the set in canonical order.
func (s Scopes) Names() []string {
	out := []string{}
	for _, x := range allScopes {
		if s.Contains(x) {
			out = append(out, x.String())
		}
	}
	return out
}

// String returns the set as ParseScopes reads it: "stream,read".
func (s Scopes) String() string { return strings.Join(s.Names(), ",") }

// MarshalJSON encodes the set as a list of names.
func (s Scopes) MarshalJSON() ([]byte, error) { return json.Marshal(s.Names()) }

// UnmarshalJSON reads a list of names, or one comma-separated string.
func (s *Scopes) UnmarshalJSON(b []byte) error {
	var names []string
	if err := json.Unmarshal(b, &names); err != nil {
		var list string
		if json.Unmarshal(b, &list) != nil {
			return fmt.Errorf("%w: scopes must be a list of names or a comma-separated string", ErrBadScope)
		}
		v, err := ParseScopes(list)
		*s = v
		return err
	}
	v, err := parseNames(names)
	*s = v
	return err
}
