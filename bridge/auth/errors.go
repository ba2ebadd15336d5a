package auth

import "errors"

// Sentinel errors of the package and of KeyStore implementations. They are
// returned wrapped with context; test for them with errors.Is.
var (
	// ErrBadConfig reports a Config or TwilioConfig that Validate rejects.
	ErrBadConfig = errors.New("auth: bad config")

	// ErrBadScope reports a scope name or list that cannot be parsed, an
	// empty scope list, or scopes a token cannot carry.
	ErrBadScope = errors.New("auth: bad scope")

	// ErrNoCredential reports a request that carries no key, token or
	// Twilio signature.
	ErrNoCredential = errors.New("auth: no credential")

	// ErrBadCredential reports a key or token that is malformed, unknown,
	// or whose secret or signature does not match. Which of these it was is
	// deliberately not told to the client.
	ErrBadCredential = errors.New("auth: invalid credential")

	// ErrRevoked reports a valid key, or a token of a key, that was revoked.
	ErrRevoked = errors.New("auth: key revoked")

	// ErrExpired reports a token whose lifetime has passed.
	ErrExpired = errors.New("auth: token expired")

	// ErrForbidden reports a valid credential that lacks the scope a route
	// needs, or a token used where only a key will do.
	ErrForbidden = errors.New("auth: scope not granted")

	// ErrTooManyFailures reports a request from an address that presented
	// too many bad credentials lately; it is refused without being checked.
	ErrTooManyFailures = errors.New("auth: too many failed attempts")

	// ErrNoSignature reports a request without X-Twilio-Signature.
	ErrNoSignature = errors.New("auth: no Twilio signature")

	// ErrBadSignature reports an X-Twilio-Signature that matches none of
	// the configured auth tokens.
	ErrBadSignature = errors.New("auth: invalid Twilio signature")

	// ErrKeyNotFound reports a key id the store does not hold.
	ErrKeyNotFound = errors.New("auth: key not found")

	// ErrKeyExists reports a PutKey for an id the store already holds.
	ErrKeyExists = errors.New("auth: key id already exists")

	// ErrTooManyCalls reports a key that already holds as many calls as
	// CallSlots allow.
	ErrTooManyCalls = errors.New("auth: too many concurrent calls for the key")

	// ErrBadRequest reports a malformed admin API request: bad JSON, an
	// unknown field, a bad name or lifetime.
	ErrBadRequest = errors.New("auth: bad request")
)
