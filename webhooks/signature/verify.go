package signature

import (
	"crypto/hmac"
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// DefaultTolerance is the recommended largest distance between a request's
// webhook-timestamp and the receiver's clock.
const DefaultTolerance = 5 * time.Minute

// Verify checks that body and the Standard Webhooks headers in h were signed
// with one of secrets, and that the signed timestamp lies within tolerance of
// now (a tolerance of zero or less disables the check). Signatures of other
// versions than v1 are ignored. Comparison is constant-time.
//
// Receivers should also use the webhook-id as an idempotency key: a message
// is retried, and may be replayed, with the same id.
func Verify(h http.Header, body []byte, now time.Time, tolerance time.Duration, secrets ...Secret) error {
	id, ts, sigs := h.Get(HeaderID), h.Get(HeaderTimestamp), h.Get(HeaderSignature)
	switch {
	case id == "":
		return fmt.Errorf("%w: %s", ErrMissingHeader, HeaderID)
	case ts == "":
		return fmt.Errorf("%w: %s", ErrMissingHeader, HeaderTimestamp)
	case sigs == "":
		return fmt.Errorf("%w: %s", ErrMissingHeader, HeaderSignature)
	}
	unix, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: %q", ErrInvalidTimestamp, ts)
	}
	if tolerance > 0 {
		at := time.Unix(unix, 0)
		if at.Before(now.Add(-tolerance)) || at.After(now.Add(tolerance)) {
			return fmt.Errorf("%w: %s, now %s", ErrTimestampOutOfRange, at.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
		}
	}
	for _, s := range secrets {
		want := mac(s, id, ts, body)
		for _, sig := range strings.Fields(sigs) {
			v, enc, ok := strings.Cut(sig, ",")
			if !ok || v != version {
				continue
			}
			got, err := base64.StdEncoding.DecodeString(enc)
			if err != nil {
				continue
			}
			if hmac.Equal(got, want) {
				return nil
			}
		}
	}
	return ErrNoMatch
}
