package call

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestConfigDefaults(t *testing.T) {
	c := Config{}.WithDefaults()
	if c.Grace != 10*time.Second || c.Retention != 5*time.Minute || c.MaxHistory != 10000 ||
		c.SubscriberQueue != 256 || c.PingInterval != 25*time.Second || c.PongWait != time.Minute ||
		c.Heartbeat != 15*time.Second || c.Clock == nil || c.Logger == nil {
		t.Errorf("defaults %+v", c)
	}
	if err := (Config{}).Validate(); err != nil {
		t.Errorf("zero config: %v", err)
	}
}

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
		want string
	}{
		{"negative grace", Config{Grace: -time.Second}, "Grace"},
		{"pong wait under ping interval", Config{PingInterval: time.Minute, PongWait: 30 * time.Second}, "PongWait"},
		{"negative queue", Config{SubscriberQueue: -1}, "SubscriberQueue"},
		{"nil sink", Config{Sinks: []Sink{nil}}, "Sinks[0]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			if !errors.Is(err, ErrBadConfig) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Validate() = %v, want ErrBadConfig naming %s", err, tc.want)
			}
			if _, err := New(tc.cfg); !errors.Is(err, ErrBadConfig) {
				t.Errorf("New() = %v", err)
			}
		})
	}
}
