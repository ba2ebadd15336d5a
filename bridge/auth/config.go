package auth

import (
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"time"

	"github.com/callscribe/callscribe/bridge/clock"
)

// Config configures an Authenticator. Zero fields take the defaults listed
// with them; see WithDefaults.
type Config struct {
	// Disabled turns authentication off: every request passes with an
	// all-scopes Principal (Via "insecure"). For --insecure-no-auth and
	// loopback demos; the store may then be nil.
	Disabled bool

	// TokenTTL is the lifetime of a token when the request names none.
	// Default 5m.
	TokenTTL time.Duration
	// MaxTokenTTL bounds the lifetime a request may ask for. Default 1h.
	MaxTokenTTL time.Duration

	// MaxFailures bad credentials from one address within FailureWindow
	// get the address refused (429) for Backoff. Defaults 10, 1m, 5m.
	// Requests without any credential do not count: they guess nothing.
	MaxFailures   int
	FailureWindow time.Duration
	Backoff       time.Duration
	// MaxTrackedAddrs bounds the addresses the failure limiter remembers.
	// Default 10000.
	MaxTrackedAddrs int

	// TouchInterval is how often a key's last-used time is written to the
	// store, at most, per key. Default 1m; negative never writes it.
	TouchInterval time.Duration

	// TrustedProxies are the reverse proxies whose X-Forwarded-For (the
	// failure limiter's client address) and X-Forwarded-Proto (the scheme
	// of Twilio's URL) are believed. Empty believes no header.
	TrustedProxies []netip.Prefix

	// Twilio configures the X-Twilio-Signature check of RequireTwilio.
	// With no AuthTokens, RequireTwilio only accepts keys and tokens. Its
	// TrustedProxies default to the ones above.
	Twilio TwilioConfig

	// Realm names the service in WWW-Authenticate. Default "callscribe".
	Realm string

	// Clock is the source of time. Default clock.System().
	Clock clock.Clock
	// Logger receives refusals (debug), blocked addresses and key changes.
	// Default slog.Default().
	Logger *slog.Logger
}

// WithDefaults returns c with every zero field set to its default.
func (c Config) WithDefaults() Config {
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	def(&c.TokenTTL, 5*time.Minute)
	def(&c.MaxTokenTTL, time.Hour)
	def(&c.FailureWindow, time.Minute)
	def(&c.Backoff, 5*time.Minute)
	def(&c.TouchInterval, time.Minute)
	if c.MaxFailures == 0 {
		c.MaxFailures = 10
	}
	if c.MaxTrackedAddrs == 0 {
		c.MaxTrackedAddrs = 10000
	}
	if c.Twilio.TrustedProxies == nil {
		c.Twilio.TrustedProxies = c.TrustedProxies
	}
	if c.Realm == "" {
		c.Realm = "callscribe"
	}
	c.Clock = clock.Or(c.Clock)
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}

// Validate reports every problem of c after defaults are applied, wrapped
// in ErrBadConfig.
func (c Config) Validate() error {
	c = c.WithDefaults()
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	for _, d := range []struct {
		name string
		d    time.Duration
	}{{"TokenTTL", c.TokenTTL}, {"MaxTokenTTL", c.MaxTokenTTL}, {"FailureWindow", c.FailureWindow}, {"Backoff", c.Backoff}} {
		if d.d <= 0 {
			bad("%s must be positive, is %s", d.name, d.d)
		}
	}
	if c.TokenTTL > c.MaxTokenTTL {
		bad("TokenTTL (%s) exceeds MaxTokenTTL (%s)", c.TokenTTL, c.MaxTokenTTL)
	}
	if c.MaxFailures < 1 || c.MaxTrackedAddrs < 1 {
		bad("MaxFailures and MaxTrackedAddrs must be positive")
	}
	if err := c.Twilio.check(); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("%w: %w", ErrBadConfig, err)
	}
	return nil
}
