package auth

import (
	"context"
	"crypto/rand"
	"fmt"
	"time"
)

// IssueToken signs a token for p, which must have authenticated with a key
// (tokens do not mint tokens), with scopes the key allows (never admin)
// and a lifetime of ttl (0: Config.TokenTTL; at most Config.MaxTokenTTL).
// It returns the token and its expiry. With Config.Disabled it returns an
// empty token, which every route accepts then.
func (a *Authenticator) IssueToken(ctx context.Context, p Principal, scopes Scopes, ttl time.Duration) (string, time.Time, error) {
	ttl, err := tokenTTL(ttl, a.cfg.TokenTTL, a.cfg.MaxTokenTTL)
	if err != nil {
		return "", time.Time{}, err
	}
	if err := tokenScopes(scopes, p.Scopes); err != nil {
		return "", time.Time{}, err
	}
	expires := a.clock.Now().Add(ttl)
	if a.cfg.Disabled {
		return "", expires, nil
	}
	if p.Via != ViaKey {
		return "", time.Time{}, fmt.Errorf("%w: only a key can be traded for a token, not a %s credential", ErrForbidden, p.Via)
	}
	secret, err := a.signingSecret(ctx)
	if err != nil {
		return "", time.Time{}, err
	}
	c, err := newClaims(p.KeyID, scopes, expires)
	if err != nil {
		return "", time.Time{}, err
	}
	return signToken(secret, c), c.Expires, nil
}

// signingSecret loads the token secret from the store on first use (and
// again after a failed load), proposing a fresh random one.
func (a *Authenticator) signingSecret(ctx context.Context) ([]byte, error) {
	a.secretMu.Lock()
	defer a.secretMu.Unlock()
	if a.secret != nil {
		return a.secret, nil
	}
	candidate := make([]byte, 32)
	if _, err := rand.Read(candidate); err != nil {
		return nil, fmt.Errorf("auth: random: %w", err)
	}
	s, err := a.store.SigningSecret(ctx, tokenSecretID, candidate)
	if err != nil {
		return nil, fmt.Errorf("auth: loading the token secret: %w", err)
	}
	if len(s) < 16 {
		return nil, fmt.Errorf("auth: the stored token secret is too short (%d bytes)", len(s))
	}
	a.secret = s
	return s, nil
}
