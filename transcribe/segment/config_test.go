package segment

import (
	"errors"
	"testing"
	"time"
)

func TestConfigValidate(t *testing.T) {
	if err := (Config{}).Validate(); err != nil {
		t.Fatalf("the defaults are invalid: %v", err)
	}
	if c := (Config{MinSilence: 400 * time.Millisecond}).WithDefaults(); c.SpeechPad != 200*time.Millisecond {
		t.Errorf("default pad with 400 ms of silence = %v, want half of it", c.SpeechPad)
	}
	cases := map[string]func(*Config){
		"negative sample rate":      func(c *Config) { c.SampleRate = -1 },
		"threshold above 1":         func(c *Config) { c.Threshold = 1.2 },
		"negative threshold":        func(c *Config) { c.Threshold = -0.1 },
		"release above threshold":   func(c *Config) { c.ReleaseThreshold = 0.6 },
		"negative release":          func(c *Config) { c.ReleaseThreshold = -0.1 },
		"negative min speech":       func(c *Config) { c.MinSpeech = -time.Millisecond },
		"negative min silence":      func(c *Config) { c.MinSilence = -time.Millisecond },
		"pad over half min silence": func(c *Config) { c.SpeechPad = 351 * time.Millisecond },
		"negative split search":     func(c *Config) { c.SplitSearch = -time.Millisecond },
		"max not above search":      func(c *Config) { c.MaxUtterance = 3250 * time.Millisecond },
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			c := Config{}.WithDefaults()
			mutate(&c)
			if err := c.Validate(); !errors.Is(err, ErrBadConfig) {
				t.Errorf("Validate = %v, want ErrBadConfig", err)
			}
			if s, err := New(c); s != nil || !errors.Is(err, ErrBadConfig) {
				t.Errorf("New = %v, %v", s, err)
			}
		})
	}
}

func TestConfigSamplesRounds(t *testing.T) {
	c := Config{}.WithDefaults()
	if got := c.samples(250 * time.Millisecond); got != 4000 {
		t.Errorf("250 ms = %d samples, want 4000", got)
	}
	c.SampleRate = 8000
	if got := c.samples(time.Second / 3); got != 2667 {
		t.Errorf("1/3 s at 8 kHz = %d samples, want 2667", got)
	}
}
