package auth

import (
	"errors"
	"net/http"
	"time"
)

// KeysHandler returns the admin API of keys. It serves full paths and
// checks nothing itself: mount it behind Require(ScopeAdmin, ...), or use
// Mount, which does.
//
//	POST   /v1/keys        {"scopes": ["stream","read"], "name": "..."}
//	                       201 with the key, shown this once
//	GET    /v1/keys        200 {"keys": [...]}, without secrets
//	DELETE /v1/keys/{id}   204; the key and its tokens stop working
//
// Errors are JSON {"error": "..."} with 400, 404 or 500.
func (a *Authenticator) KeysHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/keys", a.handleCreateKey)
	mux.HandleFunc("GET /v1/keys", a.handleListKeys)
	mux.HandleFunc("DELETE /v1/keys/{id}", a.handleRevokeKey)
	return mux
}

// TokensHandler serves POST /v1/tokens {"scopes": ["read"], "ttl_seconds":
// 300}: any key trades itself for a token with scopes it allows (never
// admin), answering 201 {"token", "expires_at", "scopes"}. It
// authenticates the request itself (any scope will do, but not a token),
// so mount it as is.
func (a *Authenticator) TokensHandler() http.Handler {
	return a.requireAny(http.HandlerFunc(a.handleIssueToken))
}

// Mount registers the keys API behind the admin scope and the token
// endpoint on mux.
func (a *Authenticator) Mount(mux *http.ServeMux) {
	keys := a.Require(ScopeAdmin, a.KeysHandler())
	mux.Handle("POST /v1/keys", keys)
	mux.Handle("GET /v1/keys", keys)
	mux.Handle("DELETE /v1/keys/{id}", keys)
	mux.Handle("POST /v1/tokens", a.TokensHandler())
}

// requireAny is Require without a scope: any valid credential passes.
func (a *Authenticator) requireAny(next http.Handler) http.Handler {
	return a.Require(scopeAny, next)
}

// scopeAny, given to Require, asks for no particular scope.
const scopeAny Scope = 0

type keyView struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	Scopes     Scopes    `json:"scopes"`
	CreatedAt  time.Time `json:"created_at"`
	LastUsedAt time.Time `json:"last_used_at,omitzero"`
	Revoked    bool      `json:"revoked"`
	RevokedAt  time.Time `json:"revoked_at,omitzero"`
}

func viewOf(k Key) keyView {
	return keyView{ID: k.ID, Name: k.Name, Scopes: k.Scopes, CreatedAt: k.CreatedAt,
		LastUsedAt: k.LastUsedAt, Revoked: k.Revoked(), RevokedAt: k.RevokedAt}
}

func (a *Authenticator) handleCreateKey(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Scopes Scopes `json:"scopes"`
		Name   string `json:"name"`
	}
	if err := decodeJSON(w, r, &req); err != nil {
		a.writeError(w, err)
		return
	}
	s, k, err := CreateKey(r.Context(), a.store, req.Name, req.Scopes, a.clock.Now())
	if err != nil {
		a.writeError(w, err)
		return
	}
	by, _ := FromContext(r.Context())
	a.log.Info("auth: key created", "key_id", k.ID, "name", k.Name, "scopes", k.Scopes.String(), "by", by.KeyID)
	writeJSON(w, http.StatusCreated, struct {
		keyView
		Key string `json:"key"`
	}{viewOf(k), s})
}

func (a *Authenticator) handleListKeys(w http.ResponseWriter, r *http.Request) {
	keys, err := a.store.Keys(r.Context())
	if err != nil {
		a.writeError(w, err)
		return
	}
	out := make([]keyView, len(keys))
	for i, k := range keys {
		out[i] = viewOf(k)
	}
	writeJSON(w, http.StatusOK, map[string]any{"keys": out})
}

func (a *Authenticator) handleRevokeKey(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if err := a.store.RevokeKey(r.Context(), id, a.clock.Now()); err != nil {
		a.writeError(w, err)
		return
	}
	by, _ := FromContext(r.Context())
	a.log.Info("auth: key revoked", "key_id", id, "by", by.KeyID)
	w.WriteHeader(http.StatusNoContent)
}

func (a *Authenticator) handleIssueToken(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Scopes     Scopes `json:"scopes"`
		TTLSeconds int64  `json:"ttl_seconds"`
	}
	if err := decodeJSON(w, r, &req); err != nil {
		a.writeError(w, err)
		return
	}
	p, _ := FromContext(r.Context())
	ttl := time.Duration(min(max(req.TTLSeconds, -1), 1<<31)) * time.Second
	tok, exp, err := a.IssueToken(r.Context(), p, req.Scopes, ttl)
	if err != nil {
		a.writeError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"token": tok, "expires_at": exp, "scopes": req.Scopes})
}

// writeError answers with the status err's sentinel implies; messages of
// unexpected errors are logged, not shown.
func (a *Authenticator) writeError(w http.ResponseWriter, err error) {
	code := http.StatusInternalServerError
	switch {
	case errors.Is(err, ErrKeyNotFound):
		code = http.StatusNotFound
	case errors.Is(err, ErrBadRequest), errors.Is(err, ErrBadScope):
		code = http.StatusBadRequest
	case errors.Is(err, ErrForbidden):
		code = http.StatusForbidden
	}
	msg := err.Error()
	if code == http.StatusInternalServerError {
		a.log.Error("auth: admin request failed", "err", err)
		msg = "internal error"
	}
	writeJSON(w, code, apiError{Error: msg})
}
