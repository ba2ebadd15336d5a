package auth

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestConfig(t *testing.T) {
	c := Config{}.WithDefaults()
	if c.TokenTTL != 5*time.Minute || c.MaxTokenTTL != time.Hour || c.MaxFailures != 10 ||
		c.FailureWindow != time.Minute || c.Backoff != 5*time.Minute || c.MaxTrackedAddrs != 10000 ||
		c.Realm != "callscribe" || c.Clock == nil || c.Logger == nil {
		t.Errorf("defaults: %+v", c)
	}
	if err := (Config{}).Validate(); err != nil {
		t.Errorf("zero config: %v", err)
	}
	proxies, _ := ParseProxies("10.0.0.0/8")
	if c := (Config{TrustedProxies: proxies}).WithDefaults(); len(c.Twilio.TrustedProxies) != 1 {
		t.Error("Twilio does not inherit the trusted proxies")
	}
	for _, c := range []struct {
		cfg  Config
		hint string
	}{
		{Config{TokenTTL: -time.Second}, "TokenTTL must be positive"},
		{Config{TokenTTL: 2 * time.Hour}, "exceeds MaxTokenTTL"},
		{Config{MaxFailures: -1}, "MaxFailures"},
		{Config{Twilio: TwilioConfig{PublicURL: "ftp://x"}}, "scheme must be https"},
	} {
		err := c.cfg.Validate()
		if !errors.Is(err, ErrBadConfig) || !strings.Contains(err.Error(), c.hint) {
			t.Errorf("%+v: %v, want ErrBadConfig mentioning %q", c.cfg, err, c.hint)
		}
		if _, nerr := New(c.cfg, NewMemoryStore()); !errors.Is(nerr, ErrBadConfig) {
			t.Errorf("New accepted %+v", c.cfg)
		}
	}
}
