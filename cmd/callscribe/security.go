package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/auth"
	"github.com/callscribe/callscribe/bridge/twilio"
)

// errInsecure refuses to start a server that anyone who reaches it could
// use: no credentials, and an address beyond this machine.
var errInsecure = errors.New("refusing to listen beyond loopback without credentials")

// newAuthenticator decides how requests are checked. With an API key in
// the store or a Twilio auth token, every endpoint but the health checks
// needs a credential. With neither, the server is the loopback demo: it
// serves without checks on a loopback address, and refuses to start on any
// other unless --insecure-no-auth says so.
func newAuthenticator(ctx context.Context, cfg ServeConfig, store auth.KeyStore, refusals bridge.Refusals, log *slog.Logger) (*auth.Authenticator, error) {
	keys, err := store.Keys(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading API keys: %w", err)
	}
	active := 0
	for _, k := range keys {
		if !k.Revoked() {
			active++
		}
	}
	tw := cfg.twilio()
	open := active == 0 && len(tw.AuthTokens) == 0
	switch {
	case cfg.InsecureNoAuth:
		log.Warn("authentication is OFF (--insecure-no-auth): anyone who reaches the port can stream audio, read every call and add webhooks", "listen", cfg.Listen)
		open = true
	case open && !isLoopback(cfg.Listen):
		return nil, fmt.Errorf("%w: %s has no API key and no --twilio-auth-token; create a key (callscribe keys create --scopes stream,read), set --twilio-auth-token, listen on 127.0.0.1, or pass --insecure-no-auth", errInsecure, cfg.Listen)
	case open:
		log.Info("no API key and no Twilio token: serving the loopback demo without authentication", "listen", cfg.Listen)
	default:
		log.Info("authentication on", "api_keys", active, "twilio_tokens", len(tw.AuthTokens), "public_url", cfg.PublicURL)
	}
	proxies, err := auth.ParseProxies(cfg.TrustedProxies)
	if err != nil {
		return nil, err
	}
	return auth.New(auth.Config{Disabled: open, Twilio: tw, TrustedProxies: proxies, Refusals: refusals, Logger: log}, store)
}

// twilioAuthorize checks a Twilio stream at start: the upgrade already
// authenticated (a Twilio signature, a key or token on the request), or a
// key or token among the stream's parameters; then the key gets a call
// slot for the stream's life.
func twilioAuthorize(a *auth.Authenticator, slots *auth.CallSlots, refusals bridge.Refusals) func(*http.Request, map[string]string) (func(), error) {
	if a.Disabled() {
		return nil
	}
	return func(r *http.Request, params map[string]string) (func(), error) {
		p, ok := auth.FromContext(r.Context())
		if !ok {
			err := auth.ErrNoCredential
			if cred := params[twilio.ParamToken]; cred != "" {
				p, err = a.Verify(r.Context(), cred, auth.ScopeStream)
			}
			if err != nil {
				refusals.Refused(auth.RefusalReason(err))
				return nil, err
			}
		}
		return slots.Acquire(p)
	}
}
