package main

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/netip"
	"os"
	"time"

	"github.com/callscribe/callscribe/bridge/auth"
)

// OpsConfig is what an operator sets to run the service exposed: who may
// use it, the limits each call and key live within, and how it stops and
// recovers. Like every serve setting, each field has a flag and a
// CALLSCRIBE_ variable.
type OpsConfig struct {
	// InsecureNoAuth serves without authentication on any address. Without
	// it, a server with no API key and no Twilio auth token listens only
	// on loopback (the demo), and refuses to start elsewhere.
	InsecureNoAuth bool
	// TwilioAuthTokens are the account auth tokens X-Twilio-Signature is
	// checked with, comma-separated (two during a rotation).
	TwilioAuthTokens string
	// PublicURL is the external base URL when a proxy terminates TLS:
	// https://host means Twilio called wss://host/v1/twilio.
	PublicURL string
	// TrustedProxies are the proxies (CIDRs, comma-separated) whose
	// X-Forwarded-For and X-Forwarded-Proto are believed.
	TrustedProxies string
	// MaxCallsPerKey bounds the calls one API key holds at once; 0 sets
	// no limit.
	MaxCallsPerKey int
	// MaxCallDuration ends a stream that lasts longer; 0 sets no limit.
	MaxCallDuration time.Duration
	// MediaTimeout ends a stream that sent no audio for this long.
	MediaTimeout time.Duration
	// MaxSubscribers bounds the subscribers of one call.
	MaxSubscribers int
	// DrainTimeout is how long, after SIGTERM, live calls may go on before
	// the server ends them.
	DrainTimeout time.Duration
	// Node names this process in the registry of open calls; its calls
	// left open by a crash are ended as soon as it starts again.
	Node string
	// CallLease is how long the registry holds a call for its node
	// without a renewal: a dead node's calls are ended by a survivor that
	// long after it died.
	CallLease time.Duration
	// Store is a postgres:// URL of a data store shared by several nodes;
	// empty keeps the SQLite file in the data folder.
	Store string
	// WebRTCConfig is how the WHIP endpoint reaches its peers.
	WebRTCConfig
}

func (c *OpsConfig) register(fs *flag.FlagSet) {
	host, _ := os.Hostname()
	fs.BoolVar(&c.InsecureNoAuth, "insecure-no-auth", false, "serve without authentication on any address (only for a private network)")
	fs.StringVar(&c.TwilioAuthTokens, "twilio-auth-token", "", "Twilio auth tokens that sign Media Streams upgrades, comma-separated")
	fs.StringVar(&c.PublicURL, "public-url", "", "external base URL when a proxy terminates TLS (https://host)")
	fs.StringVar(&c.TrustedProxies, "trusted-proxies", "", "proxies whose X-Forwarded-For/-Proto are believed, CIDRs comma-separated")
	fs.IntVar(&c.MaxCallsPerKey, "max-calls-per-key", 64, "calls one API key may hold at once (0: no limit)")
	fs.DurationVar(&c.MaxCallDuration, "max-call-duration", 4*time.Hour, "longest call; a longer stream is closed (0: no limit)")
	fs.DurationVar(&c.MediaTimeout, "media-timeout", 30*time.Second, "close a stream that sent no audio for this long (0: never)")
	fs.IntVar(&c.MaxSubscribers, "max-subscribers", 64, "subscribers one call may have")
	fs.DurationVar(&c.DrainTimeout, "drain-timeout", 2*time.Minute, "after SIGTERM, how long live calls may go on before they are ended")
	fs.StringVar(&c.Node, "node", host, "this process's name in the registry of open calls")
	fs.DurationVar(&c.CallLease, "call-lease", 30*time.Second, "how long a node's calls stay its own without renewal; a survivor ends a dead node's calls after it (3s or more)")
	fs.StringVar(&c.Store, "store", "", "postgres:// URL of a shared data store (default: SQLite in --data-dir)")
	c.WebRTCConfig.register(fs)
}

// Validate checks the values an operator can get wrong.
func (c *OpsConfig) Validate() error {
	var errs []error
	if _, err := auth.ParseProxies(c.TrustedProxies); err != nil {
		errs = append(errs, fmt.Errorf("--trusted-proxies: %w", err))
	}
	if err := c.twilio().Validate(); err != nil {
		errs = append(errs, fmt.Errorf("--twilio-auth-token, --public-url: %w", err))
	}
	if c.MaxCallsPerKey < 0 || c.MaxSubscribers < 1 {
		errs = append(errs, fmt.Errorf("--max-calls-per-key must be 0 or more and --max-subscribers 1 or more"))
	}
	if c.MaxCallDuration < 0 || c.MediaTimeout < 0 || c.DrainTimeout < 0 {
		errs = append(errs, errors.New("--max-call-duration, --media-timeout and --drain-timeout must not be negative"))
	}
	if c.CallLease < 3*time.Second {
		errs = append(errs, fmt.Errorf("--call-lease %v must be 3s or more: it is renewed every 2s, or a third of it", c.CallLease))
	}
	if c.Node == "" {
		errs = append(errs, errors.New("--node must name this process"))
	}
	errs = append(errs, c.WebRTCConfig.Validate())
	return errors.Join(errs...)
}

func (c *OpsConfig) twilio() auth.TwilioConfig {
	return auth.TwilioConfig{AuthTokens: splitList(c.TwilioAuthTokens), PublicURL: c.PublicURL}
}

// isLoopback reports whether a listen address only accepts connections
// from this machine.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}
