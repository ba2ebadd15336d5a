package twilio

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/callscribe/callscribe/bridge/twilio/wire"
)

func TestCloseFor(t *testing.T) {
	_, parseErr := wire.ParseMessage([]byte(`{"event":"media","media":{"timestamp":"1","payload":"%%%%"}}`))
	tests := []struct {
		name   string
		err    error
		code   int
		reason string // a part of the reason
	}{
		{"stopped", nil, 1000, ReasonStreamStopped},
		{"binary frame", fmt.Errorf("%w: 320 bytes", ErrBinaryFrame), 1003, ReasonBinaryFrame},
		{"format", wire.MediaFormat{Encoding: "audio/l16"}.Validate(), 1003, "audio/l16"},
		{"unknown event", fmt.Errorf("%w: %q", wire.ErrUnknownEvent, "x"), 1003, "unknown event"},
		{"payload", parseErr, 1007, "bad media payload"},
		{"missing", fmt.Errorf("%w: start.callSid", wire.ErrMissingField), 1007, "start.callSid"},
		{"too big", fmt.Errorf("%w: 70000 bytes", wire.ErrOversized), 1009, "70000"},
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
