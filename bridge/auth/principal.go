package auth

import (
	"context"
	"time"
)

// Via says how a request authenticated.
type Via string

// The ways to authenticate.
const (
	// ViaKey is an API key.
	ViaKey Via = "key"
	// ViaToken is a short-lived token of a key.
	ViaToken Via = "token"
	// ViaTwilio is a valid X-Twilio-Signature.
	ViaTwilio Via = "twilio"
	// ViaInsecure is Config.Disabled: nothing was checked.
	ViaInsecure Via = "insecure"
)

// Principal is who made a request, as the handlers after Require see it.
type Principal struct {
	// KeyID is the key, or the key the token was issued for; empty for
	// Twilio and insecure principals.
	KeyID string `json:"key_id,omitempty"`
	// Name is the key's name ("twilio", "insecure" for the others).
	Name string `json:"name"`
	// Scopes are what the credential grants: the key's, or the token's.
	Scopes Scopes `json:"scopes"`
	// Via is how the request authenticated.
	Via Via `json:"via"`
	// ExpiresAt is a token's expiry; zero for the others.
	ExpiresAt time.Time `json:"expires_at,omitzero"`
}

// Allows reports whether the principal may act with scope s.
func (p Principal) Allows(s Scope) bool { return p.Scopes.Allows(s) }

var (
	insecurePrincipal = Principal{Name: "insecure", Scopes: AllScopes, Via: ViaInsecure}
	twilioPrincipal   = Principal{Name: "twilio", Scopes: NewScopes(ScopeStream), Via: ViaTwilio}
)

type contextKey struct{}

// NewContext returns ctx carrying p.
func NewContext(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, contextKey{}, p)
}

// FromContext returns the principal Require put in a request's context.
func FromContext(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(contextKey{}).(Principal)
	return p, ok
}
