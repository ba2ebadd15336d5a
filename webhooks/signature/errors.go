package signature

import "errors"

// Errors returned by ParseSecret and Verify. Verify wraps them, so test with
// errors.Is.
var (
	// ErrInvalidSecret reports a secret that is not base64 of 24 to 64 bytes.
	ErrInvalidSecret = errors.New("signature: invalid secret")
	// ErrMissingHeader reports a request without one of the three headers.
	ErrMissingHeader = errors.New("signature: missing header")
	// ErrInvalidTimestamp reports a webhook-timestamp that is not an integer.
	ErrInvalidTimestamp = errors.New("signature: invalid timestamp")
	// ErrTimestampOutOfRange reports a timestamp further from the receiver's
	// clock than the tolerance, in either direction: a replayed or delayed
	// request.
	ErrTimestampOutOfRange = errors.New("signature: timestamp outside tolerance")
	// ErrNoMatch reports that no v1 signature matched any secret.
	ErrNoMatch = errors.New("signature: no matching signature")
)
