package stream

import (
	"errors"
	"testing"
	"time"

	"github.com/callscribe/callscribe/transcribe"
)

func TestConfigValidate(t *testing.T) {
	if err := (Config{Track: "inbound"}).Validate(); err != nil {
		t.Fatalf("default config: %v", err)
	}
	cases := map[string]func(*Config){
		"no track":                   func(c *Config) { c.Track = "" },
		"negative threads":           func(c *Config) { c.Threads = -1 },
		"partials too often":         func(c *Config) { c.PartialInterval = 400 * time.Millisecond },
		"partials too rare":          func(c *Config) { c.PartialInterval = 1500 * time.Millisecond },
		"timeout below the interval": func(c *Config) { c.PartialTimeout = 500 * time.Millisecond },
		"utterance past 30 s":        func(c *Config) { c.MaxUtterance = 31 * time.Second },
		"utterance under 1 s":        func(c *Config) { c.MaxUtterance = 500 * time.Millisecond },
		"pre-roll too short":         func(c *Config) { c.PreRoll = 100 * time.Millisecond },
		"negative beam":              func(c *Config) { c.FinalBeamSize = -1 },
		"odd audio context":          func(c *Config) { c.FinalAudioCtx = -5 },
		"bad guard":                  func(c *Config) { c.Guard.RepeatMinWords = -1 },
	}
	for name, change := range cases {
		cfg := Config{Track: "inbound"}.WithDefaults()
		change(&cfg)
		if err := cfg.Validate(); !errors.Is(err, ErrBadConfig) {
			t.Errorf("%s: Validate = %v, want ErrBadConfig", name, err)
		}
		if _, err := NewUtterancePolicy(cfg); !errors.Is(err, ErrBadConfig) {
			t.Errorf("%s: NewUtterancePolicy = %v, want ErrBadConfig", name, err)
		}
	}
	ok := Config{Track: "inbound"}.WithDefaults()
	ok.FinalAudioCtx = transcribe.AudioCtxAuto
	if err := ok.Validate(); err != nil {
		t.Errorf("AudioCtxAuto for finals rejected: %v", err)
	}
}
