// Package auth is the edge of callscribe: it decides who may send audio,
// read transcripts and administer the service, before any transport sees a
// request. Transports never import it; cmd/callscribe wraps their handlers.
//
// Credentials are of three kinds:
//
//   - API keys, "cs_<id>_<secret>", with scopes (stream, read, admin). The
//     store keeps the id, name, scopes and times, and a SHA-256 hash of the
//     key; the key itself is shown once, when it is made.
//   - Short-lived tokens, "cst_...", that a key trades for (POST /v1/tokens)
//     so that a browser page need not hold the key: an HMAC-SHA256 over the
//     key id, scopes, expiry and a nonce, valid for minutes, with scopes
//     that are a subset of the key's, and dead as soon as the key is
//     revoked. The signing secret is generated once and kept in the store,
//     so tokens verify across restarts and across nodes sharing one
//     database.
//   - Twilio's X-Twilio-Signature on the Media Streams WebSocket upgrade
//     (TwilioValidator), checked against one or more account auth tokens.
//
// A request carries a key or a token as "Authorization: Bearer KEY",
// "Authorization: Token KEY" (what Deepgram clients send) or "?token=KEY"
// (browser WebSockets cannot set headers). Authenticator.Require checks it
// before the wrapped handler runs, so a WebSocket is refused before the
// upgrade: 401 with WWW-Authenticate for a missing or bad credential, 403
// for a missing scope, 429 with Retry-After for an address that failed too
// often, each with a JSON body {"error": "..."}. On success the Principal
// is in the request's context (FromContext).
//
// An admin key can do everything: the admin scope implies stream and read
// (Scopes.Allows), because an operator holding the admin key would expect
// it to work for a test call too. Tokens never carry admin and cannot mint
// other tokens.
//
// Config.Disabled turns all of this off (every request is allowed, with an
// all-scopes Principal) for --insecure-no-auth and loopback demos.
package auth
