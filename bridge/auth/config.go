package auth

import (
	"log/slog"
	"net/netip"
	"time"

	"github.com/callscribe/callscribe/bridge"

	"github.com/callscribe/callscribe/bridge/clock"
	"github.com/callscribe/callscribe/bridge/config"
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
	// Refusals counts what is turned away, by reason, for the metrics.
	// Default: nothing is counted.
	Refusals bridge.Refusals
	Clock    clock.Clock
	// Logger receives refusals (debug), blocked addresses and key changes.
	// Default slog.Default().
	Logger *slog.Logger
}

// WithDefaults returns c with every zero field set to its default.
func (c Config) WithDefaults() Config {
	config.Default(&c.TokenTTL, 5*time.Minute)
	config.Default(&c.MaxTokenTTL, time.Hour)
	config.Default(&c.FailureWindow, time.Minute)
	config.Default(&c.Backoff, 5*time.Minute)
	config.Default(&c.TouchInterval, time.Minute)
	config.Default(&c.MaxFailures, 10)
	config.Default(&c.MaxTrackedAddrs, 10000)
	if c.Twilio.TrustedProxies == nil {
		c.Twilio.TrustedProxies = c.TrustedProxies
	}
	config.Default(&c.Realm, "callscribe")
	c.Clock = clock.Or(c.Clock)
	c.Logger = config.Logger(c.Logger)
	if c.Refusals == nil {
		c.Refusals = bridge.NoRefusals{}
	}
	return c
}

// Validate reports every problem of c after defaults are applied, wrapped
// in ErrBadConfig.
func (c Config) Validate() error {
	c = c.WithDefaults()
	var p config.Problems
	p.Positive("TokenTTL", c.TokenTTL)
	p.Positive("MaxTokenTTL", c.MaxTokenTTL)
	p.Positive("FailureWindow", c.FailureWindow)
	p.Positive("Backoff", c.Backoff)
	if c.TokenTTL > c.MaxTokenTTL {
		p.Addf("TokenTTL (%s) exceeds MaxTokenTTL (%s)", c.TokenTTL, c.MaxTokenTTL)
	}
	if c.MaxFailures < 1 || c.MaxTrackedAddrs < 1 {
		p.Addf("MaxFailures and MaxTrackedAddrs must be positive")
	}
	p.Add(c.Twilio.check())
	return p.Err(ErrBadConfig)
}
