package segment

import (
	"errors"
	"testing"
	"time"
)

func TestConfigValidate(t *testing.T) {
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatalf("DefaultConfig invalid: %v", err)
	}
	cases := map[string]func(*Config){
		"zero sample rate":          func(c *Config) { c.SampleRate = 0 },
		"threshold above 1":         func(c *Config) { c.Threshold = 1.2 },
		"threshold zero":            func(c *Config) { c.Threshold = 0 },
		"release above threshold":   func(c *Config) { c.ReleaseThreshold = 0.6 },
		"release zero":              func(c *Config) { c.ReleaseThreshold = 0 },
		"negative min speech":       func(c *Config) { c.MinSpeech = -time.Millisecond },
		"zero min silence":          func(c *Config) { c.MinSilence = 0 },
		"negative pad":              func(c *Config) { c.SpeechPad = -time.Millisecond },
		"pad over half min silence": func(c *Config) { c.SpeechPad = 301 * time.Millisecond },
		"zero split search":         func(c *Config) { c.SplitSearch = 0 },
		"max not above search":      func(c *Config) { c.MaxUtterance = 3250 * time.Millisecond },
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			c := DefaultConfig()
			mutate(&c)
			if err := c.Validate(); !errors.Is(err, ErrInvalidConfig) {
				t.Errorf("Validate = %v, want ErrInvalidConfig", err)
			}
			if s, err := New(c); s != nil || !errors.Is(err, ErrInvalidConfig) {
				t.Errorf("New = %v, %v", s, err)
			}
		})
	}
}

func TestConfigSamplesRounds(t *testing.T) {
	c := DefaultConfig()
	if got := c.samples(250 * time.Millisecond); got != 4000 {
		t.Errorf("250 ms = %d samples, want 4000", got)
	}
	c.SampleRate = 8000
	if got := c.samples(time.Second / 3); got != 2667 {
		t.Errorf("1/3 s at 8 kHz = %d samples, want 2667", got)
	}
}
