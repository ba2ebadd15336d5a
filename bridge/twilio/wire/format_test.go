package wire

import (
	"errors"
	"strings"
	"testing"
)

func TestMediaFormatValidate(t *testing.T) {
	tests := []struct {
		name    string
		format  MediaFormat
		mention string // empty when the format is accepted
	}{
		{"mulaw", MuLawFormat(), ""},
		{"mime case", MediaFormat{Encoding: "Audio/X-MuLaw", SampleRate: 8000, Channels: 1}, ""},
		{"linear PCM", MediaFormat{Encoding: "audio/l16", SampleRate: 8000, Channels: 1}, "audio/l16"},
		{"wideband", MediaFormat{Encoding: EncodingMuLaw, SampleRate: 16000, Channels: 1}, "16000 Hz"},
		{"stereo", MediaFormat{Encoding: EncodingMuLaw, SampleRate: 8000, Channels: 2}, "2 channels"},
		{"absent", MediaFormat{}, `encoding ""`},
	}
	for _, tt := range tests {
		err := tt.format.Validate()
		switch {
		case tt.mention == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.mention != "" && (!errors.Is(err, ErrUnsupportedFormat) || !strings.Contains(err.Error(), tt.mention)):
			t.Errorf("%s: err = %v, want ErrUnsupportedFormat naming %q", tt.name, err, tt.mention)
		}
	}
}
