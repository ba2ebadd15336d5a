// Package signature signs and verifies webhook requests as the Standard
// Webhooks specification describes: the sender puts a unique message id, the
// Unix time of the attempt and one or more signatures into the webhook-id,
// webhook-timestamp and webhook-signature headers. Each signature is "v1,"
// followed by the base64 HMAC-SHA256, under one secret, of
// "<webhook-id>.<webhook-timestamp>.<body>". Several space-separated
// signatures let a secret be rotated without downtime: the receiver accepts
// the request when any one of them matches a secret it holds.
//
// The package depends only on the standard library so that receivers can
// import it without the rest of callscribe.
package signature

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Header names defined by the specification.
const (
	HeaderID        = "webhook-id"
	HeaderTimestamp = "webhook-timestamp"
	HeaderSignature = "webhook-signature"
)

// SecretPrefix marks a serialized symmetric signing secret.
const SecretPrefix = "whsec_"

// Limits on the decoded secret length, from the specification (192 to 512
// bits).
const (
	MinSecretBytes = 24
	MaxSecretBytes = 64
)

// version is the signature identifier of HMAC-SHA256 signatures.
const version = "v1"

// Secret is a decoded symmetric signing key.
type Secret []byte

// ParseSecret decodes a secret serialized as "whsec_" followed by standard
// base64. The prefix may be omitted, as the reference libraries allow.
func ParseSecret(s string) (Secret, error) {
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(s, SecretPrefix))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidSecret, err)
	}
	if len(raw) < MinSecretBytes || len(raw) > MaxSecretBytes {
		return nil, fmt.Errorf("%w: %d bytes, want %d to %d", ErrInvalidSecret, len(raw), MinSecretBytes, MaxSecretBytes)
	}
	return Secret(raw), nil
}

// NewSecret returns a random 32-byte secret.
func NewSecret() (Secret, error) {
	s := make(Secret, 32)
	if _, err := rand.Read(s); err != nil {
		return nil, fmt.Errorf("signature: generating secret: %w", err)
	}
	return s, nil
}

// String serializes s as "whsec_" followed by standard base64.
func (s Secret) String() string {
	return SecretPrefix + base64.StdEncoding.EncodeToString(s)
}

// Sign returns the webhook-signature header value for a message: one "v1,"
// signature per secret, space separated, in the order given.
func Sign(id string, ts time.Time, body []byte, secrets ...Secret) string {
	sigs := make([]string, len(secrets))
	unix := strconv.FormatInt(ts.Unix(), 10)
	for i, s := range secrets {
		sigs[i] = version + "," + base64.StdEncoding.EncodeToString(mac(s, id, unix, body))
	}
	return strings.Join(sigs, " ")
}

// SetHeaders sets the three Standard Webhooks headers of a request carrying
// body.
func SetHeaders(h http.Header, id string, ts time.Time, body []byte, secrets ...Secret) {
	h.Set(HeaderID, id)
	h.Set(HeaderTimestamp, strconv.FormatInt(ts.Unix(), 10))
	h.Set(HeaderSignature, Sign(id, ts, body, secrets...))
}

// mac computes the HMAC-SHA256 of "id.timestamp.body" under s.
func mac(s Secret, id, unix string, body []byte) []byte {
	m := hmac.New(sha256.New, s)
	m.Write([]byte(id))
	m.Write([]byte{'.'})
	m.Write([]byte(unix))
	m.Write([]byte{'.'})
	m.Write(body)
	return m.Sum(nil)
}
