package webhooks

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestConfigDefaults(t *testing.T) {
	c := Config{}.WithDefaults()
	if c.RequestTimeout != 15*time.Second || c.RetryFor != 24*time.Hour || c.Lease != 45*time.Second ||
		c.MaxResponseBytes != 64<<10 || c.Concurrency != 4 || c.BreakerThreshold != 10 || c.DeliveredRetention != 72*time.Hour {
		t.Errorf("defaults = %+v", c)
	}
	if err := c.Validate(); err != nil {
		t.Errorf("defaults invalid: %v", err)
	}
	kept := Config{RequestTimeout: time.Second, Concurrency: 9}.WithDefaults()
	if kept.RequestTimeout != time.Second || kept.Concurrency != 9 || kept.Lease != 31*time.Second {
		t.Errorf("set fields not kept: %+v", kept)
	}
}

func TestConfigValidate(t *testing.T) {
	ep := EndpointConfig{ID: "crm", URL: "https://crm.example/hook", Secrets: []string{testSecret}}
	cases := map[string]struct {
		c    Config
		want string
	}{
		"lease too short":   {Config{RequestTimeout: time.Minute, Lease: time.Second}, "Lease"},
		"negative duration": {Config{PollInterval: -time.Second}, "PollInterval"},
		"bad self addr":     {Config{SelfAddrs: []string{"nohostport"}}, "SelfAddrs"},
		"duplicate id":      {Config{Endpoints: []EndpointConfig{ep, ep}}, "duplicate"},
		"bad endpoint":      {Config{Endpoints: []EndpointConfig{{ID: "x", URL: "mailto:a@b", Secrets: []string{testSecret}}}}, "scheme"},
		"self endpoint": {Config{SelfAddrs: []string{":443"},
			Endpoints: []EndpointConfig{{ID: "loop", URL: "https://localhost/hook", Secrets: []string{testSecret}}}}, "points at this service"},
	}
	for name, c := range cases {
		err := c.c.WithDefaults().Validate()
		if !errors.Is(err, ErrBadConfig) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Validate = %v, want ErrBadConfig mentioning %q", name, err, c.want)
		}
	}
	if err := (Config{Endpoints: []EndpointConfig{ep}}).WithDefaults().Validate(); err != nil {
		t.Errorf("valid config: %v", err)
	}
}
