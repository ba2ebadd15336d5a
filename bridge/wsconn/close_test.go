package wsconn

import (
	"encoding/binary"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestFormatCloseFitsControlFrame(t *testing.T) {
	// 'é' is two bytes: a cut at byte 123 would split one.
	reason := "x" + strings.Repeat("é", 100)
	frame := FormatClose(1008, reason)
	if len(frame) > 125 {
		t.Fatalf("close frame is %d bytes, a control frame holds 125", len(frame))
	}
	if code := binary.BigEndian.Uint16(frame); code != 1008 {
		t.Errorf("code = %d, want 1008", code)
	}
	text := string(frame[2:])
	if !utf8.ValidString(text) || !strings.HasPrefix(reason, text) || len(text) < MaxReasonBytes-1 {
		t.Errorf("reason cut badly: %d bytes, valid UTF-8 %v", len(text), utf8.ValidString(text))
	}
	if short := FormatClose(1013, ReasonOverloaded); string(short[2:]) != ReasonOverloaded {
		t.Errorf("short reason changed: %q", short[2:])
	}
}

func TestCloseErrorWrapsItsCause(t *testing.T) {
	cause := errors.New("sink full")
	ce := &CloseError{Code: 1013, Reason: ReasonOverloaded, Err: cause}
	if !errors.Is(ce, cause) || ce.Error() != "server at capacity, retry later (1013): sink full" {
		t.Errorf("%v", ce)
	}
	if got := (&CloseError{Code: 1000, Reason: "call ended"}).Error(); got != "call ended (1000)" {
		t.Errorf("%q", got)
	}
}

func TestConfigValidate(t *testing.T) {
	if err := (Config{}).Validate(); err != nil {
		t.Errorf("zero Config: %v", err)
	}
	for _, c := range []Config{
		{PingInterval: -1},
		{PingInterval: time.Minute}, // not below the 60 s ReadTimeout
		{ReadTimeout: time.Second, PingInterval: 2 * time.Second},
		{MaxMessageBytes: -1},
		{NormalReason: strings.Repeat("x", 200)},
	} {
		if err := c.Validate(); !errors.Is(err, ErrBadConfig) {
			t.Errorf("%+v: %v, want ErrBadConfig", c, err)
		}
		if _, err := NewServer(c, nil); !errors.Is(err, ErrBadConfig) {
			t.Errorf("NewServer(%+v): %v", c, err)
		}
	}
	c := Config{}.WithDefaults()
	if c.PingInterval != 20*time.Second || c.ReadTimeout != time.Minute || c.Clock == nil || c.Logger == nil || c.NormalReason == "" {
		t.Errorf("defaults %+v", c)
	}
}
