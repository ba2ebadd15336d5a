package stream

import (
	"errors"
	"testing"
	"time"

	"github.com/callscribe/callscribe/transcribe"
)

func TestConfigValidate(t *testing.T) {
	if err := DefaultConfig("inbound").Validate(); err != nil {
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
		"no beam":                    func(c *Config) { c.FinalBeamSize = 0 },
		"odd audio context":          func(c *Config) { c.FinalAudioCtx = -5 },
		"negative prompt":            func(c *Config) { c.PromptChars = -1 },
		"bad guard":                  func(c *Config) { c.Guard.RepeatMinWords = 0 },
	}
	for name, change := range cases {
		cfg := DefaultConfig("inbound")
		change(&cfg)
		if err := cfg.Validate(); !errors.Is(err, ErrInvalidConfig) {
			t.Errorf("%s: Validate = %v, want ErrInvalidConfig", name, err)
		}
		if _, err := NewUtterancePolicy(cfg); !errors.Is(err, ErrInvalidConfig) {
			t.Errorf("%s: NewUtterancePolicy = %v, want ErrInvalidConfig", name, err)
		}
	}
	ok := DefaultConfig("inbound")
	ok.FinalAudioCtx = transcribe.AudioCtxAuto
	if err := ok.Validate(); err != nil {
		t.Errorf("AudioCtxAuto for finals rejected: %v", err)
	}
}
