package twilio

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCloseFor(t *testing.T) {
	_, parseErr := ParseMessage([]byte(`{"event":"media","media":{"timestamp":"1","payload":"%%%%"}}`))
	tests := []struct {
		name   string
		err    error
		code   int
		reason string // a part of the reason
	}{
		{"stopped", nil, 1000, ReasonStreamStopped},
		{"format", MediaFormat{Encoding: "audio/l16"}.Validate(), 1003, "audio/l16"},
		{"unknown event", fmt.Errorf("%w: %q", ErrUnknownEvent, "x"), 1003, "unknown event"},
		{"payload", parseErr, 1007, "bad media payload"},
		{"missing", fmt.Errorf("%w: start.callSid", ErrMissingField), 1007, "start.callSid"},
		{"too big", fmt.Errorf("%w: 70000 bytes", ErrOversized), 1009, "70000"},
		{"other", errors.New("disk on fire"), 1011, ReasonInternalError},
	}
	for _, tt := range tests {
		code, reason := CloseFor(tt.err)
		if code != tt.code || !strings.Contains(reason, tt.reason) {
			t.Errorf("%s: CloseFor = %d %q, want %d containing %q", tt.name, code, reason, tt.code, tt.reason)
		}
		if strings.Contains(reason, "disk") {
			t.Errorf("%s: internal detail leaked into the reason %q", tt.name, reason)
		}
	}
}

func TestCloseFrameFitsControlFrame(t *testing.T) {
	// 'é' is two bytes: a cut at byte 123 would split one.
	reason := "x" + strings.Repeat("é", 100)
	frame := CloseFrame(CloseTooFast, reason)
	if len(frame) > 125 {
		t.Fatalf("close frame is %d bytes, a control frame holds 125", len(frame))
	}
	if code := binary.BigEndian.Uint16(frame); code != 1008 {
		t.Errorf("code = %d, want 1008", code)
	}
	text := string(frame[2:])
	if !utf8.ValidString(text) || !strings.HasPrefix(reason, text) || len(text) < MaxCloseReasonBytes-1 {
		t.Errorf("reason cut badly: %d bytes, valid UTF-8 %v", len(text), utf8.ValidString(text))
	}
	if short := CloseFrame(CloseOverloaded, ReasonOverloaded); string(short[2:]) != ReasonOverloaded {
		t.Errorf("short reason changed: %q", short[2:])
	}
}
