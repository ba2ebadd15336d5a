package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/callscribe/callscribe/bridge/clock"
)

// Authenticator checks credentials against a KeyStore and issues tokens.
// It is safe for concurrent use.
type Authenticator struct {
	cfg    Config
	store  KeyStore
	clock  clock.Clock
	log    *slog.Logger
	twilio *TwilioValidator // nil without Twilio auth tokens

	mu      sync.Mutex // guards limiter and touched
	limiter *failureLimiter
	touched map[string]time.Time // key id: last TouchKey written

	secretMu sync.Mutex
	secret   []byte // the token signing secret, once loaded
}

// New returns an Authenticator for cfg on store. The store may be nil only
// when cfg.Disabled.
func New(cfg Config, store KeyStore) (*Authenticator, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if store == nil && !cfg.Disabled {
		return nil, fmt.Errorf("%w: a KeyStore is required unless Disabled", ErrBadConfig)
	}
	cfg = cfg.WithDefaults()
	a := &Authenticator{cfg: cfg, store: store, clock: cfg.Clock, log: cfg.Logger,
		limiter: newFailureLimiter(cfg.MaxFailures, cfg.FailureWindow, cfg.Backoff, cfg.MaxTrackedAddrs),
		touched: map[string]time.Time{}}
	if len(cfg.Twilio.AuthTokens) > 0 {
		v, err := NewTwilioValidator(cfg.Twilio)
		if err != nil {
			return nil, err
		}
		a.twilio = v
	}
	return a, nil
}

// Disabled reports whether authentication is off (Config.Disabled).
func (a *Authenticator) Disabled() bool { return a.cfg.Disabled }

// Verify checks a credential (a key or a token) for scope and returns its
// principal. It is the check Require makes, without the request: for a
// credential that arrives inside a protocol, such as a key in a Twilio
// stream's start parameters. It does not count failures; a caller that
// can name the peer should refuse after repeated ones.
func (a *Authenticator) Verify(ctx context.Context, credential string, scope Scope) (Principal, error) {
	p, err := a.authenticate(ctx, credential)
	if err != nil {
		return Principal{}, err
	}
	if !p.Allows(scope) {
		return Principal{}, fmt.Errorf("%w: %q needed", ErrForbidden, scope)
	}
	return p, nil
}

// authenticate checks a credential and returns its principal, whatever
// its scopes.
func (a *Authenticator) authenticate(ctx context.Context, cred string) (Principal, error) {
	switch {
	case a.cfg.Disabled:
		return insecurePrincipal, nil
	case cred == "":
		return Principal{}, ErrNoCredential
	case isToken(cred):
		return a.checkToken(ctx, cred)
	case isKey(cred):
		k, err := a.checkKey(ctx, cred)
		if err != nil {
			return Principal{}, err
		}
		return Principal{KeyID: k.ID, Name: k.Name, Scopes: k.Scopes, Via: ViaKey}, nil
	}
	return Principal{}, fmt.Errorf("%w: neither a key (cs_...) nor a token (cst_...)", ErrBadCredential)
}

// checkKey returns the stored key that cred is, if it is valid.
func (a *Authenticator) checkKey(ctx context.Context, cred string) (Key, error) {
	id, err := keyID(cred)
	if err != nil {
		return Key{}, err
	}
	k, err := a.store.Key(ctx, id)
	if errors.Is(err, ErrKeyNotFound) {
		return Key{}, fmt.Errorf("%w: unknown key", ErrBadCredential)
	}
	if err != nil {
		return Key{}, fmt.Errorf("auth: loading key %s: %w", id, err)
	}
	if !k.matches(cred) {
		return Key{}, fmt.Errorf("%w: wrong secret for key %s", ErrBadCredential, id)
	}
	// Told only to a holder of the real secret.
	if k.Revoked() {
		return Key{}, fmt.Errorf("%w: %s", ErrRevoked, id)
	}
	a.touch(ctx, k.ID)
	return k, nil
}

// checkToken verifies a token's signature and expiry, and that its key
// still exists and is not revoked: a token dies with its key.
func (a *Authenticator) checkToken(ctx context.Context, cred string) (Principal, error) {
	secret, err := a.signingSecret(ctx)
	if err != nil {
		return Principal{}, err
	}
	c, err := parseToken(secret, cred)
	if err != nil {
		return Principal{}, err
	}
	if c.expired(a.clock.Now()) {
		return Principal{}, fmt.Errorf("%w: at %s", ErrExpired, c.Expires.Format(time.RFC3339))
	}
	k, err := a.store.Key(ctx, c.KeyID)
	switch {
	case errors.Is(err, ErrKeyNotFound):
		return Principal{}, fmt.Errorf("%w: the token's key is gone", ErrRevoked)
	case err != nil:
		return Principal{}, fmt.Errorf("auth: loading key %s: %w", c.KeyID, err)
	case k.Revoked():
		return Principal{}, fmt.Errorf("%w: %s", ErrRevoked, k.ID)
	}
	a.touch(ctx, k.ID)
	// Scopes cannot change after a key is made, but intersecting costs
	// nothing and keeps a token within its key if they ever do.
	return Principal{KeyID: k.ID, Name: k.Name, Scopes: c.Scopes & k.Scopes.Effective(), Via: ViaToken, ExpiresAt: c.Expires}, nil
}

// touch records a key's use, at most once per TouchInterval per key. A
// failure is logged, not returned: the request was authenticated.
func (a *Authenticator) touch(ctx context.Context, id string) {
	if a.cfg.TouchInterval < 0 {
		return
	}
	now := a.clock.Now()
	a.mu.Lock()
	last, ok := a.touched[id]
	due := !ok || now.Sub(last) >= a.cfg.TouchInterval
	if due {
		a.touched[id] = now
	}
	a.mu.Unlock()
	if !due {
		return
	}
	if err := a.store.TouchKey(ctx, id, now); err != nil {
		a.log.Warn("auth: recording key use", "key_id", id, "err", err)
	}
}
