package auth

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"

	"github.com/callscribe/callscribe/bridge"
)

// Require returns a handler that lets a request through to next only if
// it carries a key or token allowing scope. It runs before next, so a
// WebSocket is refused before its upgrade. Refusals are JSON
// {"error": "..."}: 401 with WWW-Authenticate for no or a bad credential,
// 403 for a missing scope, 429 with Retry-After for an address that
// presented too many bad credentials. On success next sees the Principal
// in the request's context (FromContext), and no ?token= in its URL.
func (a *Authenticator) Require(scope Scope, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a.cfg.Disabled {
			next.ServeHTTP(w, r.WithContext(NewContext(r.Context(), insecurePrincipal)))
			return
		}
		addr := limiterKey(clientIP(a.cfg.TrustedProxies, r))
		if a.refuseBlocked(w, addr) {
			return
		}
		p, r, err := a.checkRequest(r, addr)
		if err == nil && scope != scopeAny && !p.Allows(scope) {
			err = fmt.Errorf("%w: %q needed", ErrForbidden, scope)
		}
		if err != nil {
			a.refuse(w, r, scope, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// RequireTwilio is Require(ScopeStream, next) that also accepts a request
// signed by Twilio (Config.Twilio): a valid X-Twilio-Signature lets it
// through as the "twilio" principal. Without a valid signature the request
// may still carry a key or token, as a platform speaking Twilio's protocol
// that is not Twilio would send.
func (a *Authenticator) RequireTwilio(next http.Handler) http.Handler {
	return a.twilioGate(next, false)
}

// AllowTwilio is RequireTwilio for a transport that can still authenticate
// a stream itself once it has started (a key among the stream's custom
// parameters): a request with neither a Twilio signature nor a credential
// passes without a Principal, and the transport must call Verify before it
// uses any audio. A bad signature or a bad credential is still refused
// before the upgrade.
func (a *Authenticator) AllowTwilio(next http.Handler) http.Handler {
	return a.twilioGate(next, true)
}

func (a *Authenticator) twilioGate(next http.Handler, deferAnonymous bool) http.Handler {
	keyed := a.Require(ScopeStream, next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a.cfg.Disabled {
			keyed.ServeHTTP(w, r)
			return
		}
		addr := limiterKey(clientIP(a.cfg.TrustedProxies, r))
		if a.refuseBlocked(w, addr) {
			return
		}
		_, _, cerr := credential(r)
		if a.twilio == nil || r.Header.Get(twilioSignatureHeader) == "" {
			if deferAnonymous && errors.Is(cerr, ErrNoCredential) {
				next.ServeHTTP(w, r)
				return
			}
			keyed.ServeHTTP(w, r)
			return
		}
		switch err := a.twilio.Validate(r); {
		case err == nil:
			next.ServeHTTP(w, r.WithContext(NewContext(r.Context(), twilioPrincipal)))
		case cerr == nil:
			keyed.ServeHTTP(w, r) // a key or token may still pass
		default:
			a.recordFailure(addr, r, err)
			a.refuse(w, r, ScopeStream, err)
		}
	})
}

// checkRequest authenticates r's credential, counting a bad one against
// addr. It returns r with the principal in its context and without a
// ?token= parameter.
func (a *Authenticator) checkRequest(r *http.Request, addr string) (Principal, *http.Request, error) {
	cred, fromQuery, err := credential(r)
	if err == nil {
		var p Principal
		if p, err = a.authenticate(r.Context(), cred); err == nil {
			if fromQuery {
				r = withoutQueryToken(r)
			}
			return p, r.WithContext(NewContext(r.Context(), p)), nil
		}
	}
	if countsAsFailure(err) {
		a.recordFailure(addr, r, err)
	}
	return Principal{}, r, err
}

// countsAsFailure: a credential was presented and was wrong. No credential
// guesses nothing, and a store error is not the client's doing.
func countsAsFailure(err error) bool {
	return errors.Is(err, ErrBadCredential) || errors.Is(err, ErrRevoked) ||
		errors.Is(err, ErrExpired) || errors.Is(err, ErrBadSignature)
}

func (a *Authenticator) recordFailure(addr string, r *http.Request, err error) {
	a.mu.Lock()
	blocked := a.limiter.fail(addr, a.clock.Now())
	a.mu.Unlock()
	if blocked {
		a.log.Warn("auth: too many bad credentials; refusing the address for a while",
			"addr", addr, "backoff", a.cfg.Backoff, "path", r.URL.Path, "last_err", err)
	}
}

// refuseBlocked answers 429 if addr is blocked, and reports whether it did.
func (a *Authenticator) refuseBlocked(w http.ResponseWriter, addr string) bool {
	a.mu.Lock()
	wait := a.limiter.blocked(addr, a.clock.Now())
	a.mu.Unlock()
	if wait <= 0 {
		return false
	}
	a.cfg.Refusals.Refused(bridge.RefusedRateLimited)
	secs := int(math.Ceil(wait.Seconds()))
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	writeJSON(w, http.StatusTooManyRequests, apiError{Error: fmt.Sprintf("too many failed attempts from this address; retry in %ds", secs)})
	return true
}

// refuse answers a failed check. Messages are fixed per sentinel, so that
// no detail of a store error or of which check failed reaches the client.
func (a *Authenticator) refuse(w http.ResponseWriter, r *http.Request, scope Scope, err error) {
	code, msg, challenge := http.StatusUnauthorized, "", `error="invalid_token"`
	switch {
	case errors.Is(err, ErrNoCredential):
		msg, challenge = "no credential: send Authorization: Bearer <key>, or ?token=<token>", ""
	case errors.Is(err, ErrRevoked):
		msg = "key revoked"
	case errors.Is(err, ErrExpired):
		msg = "token expired"
	case errors.Is(err, ErrBadSignature):
		msg = "invalid Twilio signature"
	case errors.Is(err, ErrBadCredential):
		msg = "invalid credential"
	case errors.Is(err, ErrForbidden):
		code, msg = http.StatusForbidden, fmt.Sprintf("the credential lacks the %q scope", scope)
		challenge = fmt.Sprintf(`error="insufficient_scope", scope="%s"`, scope)
	default:
		a.log.Error("auth: checking a credential failed", "path", r.URL.Path, "err", err)
		writeJSON(w, http.StatusServiceUnavailable, apiError{Error: "authentication unavailable"})
		return
	}
	a.log.Debug("auth: refused", "path", r.URL.Path, "code", code, "err", err)
	a.cfg.Refusals.Refused(RefusalReason(err))
	v := fmt.Sprintf(`Bearer realm="%s"`, a.cfg.Realm)
	if challenge != "" {
		v += ", " + challenge
	}
	w.Header().Set("WWW-Authenticate", v)
	writeJSON(w, code, apiError{Error: msg})
}

// RefusalReason names, for the metrics, why a credential was refused.
func RefusalReason(err error) string {
	switch {
	case errors.Is(err, ErrNoCredential):
		return bridge.RefusedAuthMissing
	case errors.Is(err, ErrForbidden):
		return bridge.RefusedAuthScope
	case errors.Is(err, ErrTooManyCalls):
		return bridge.RefusedLimitCallsPerKey
	case errors.Is(err, ErrTooManyFailures):
		return bridge.RefusedRateLimited
	}
	return bridge.RefusedAuthBad
}
