package wire

import (
	"fmt"
	"strings"
)

// The one audio format callscribe decodes: G.711 μ-law, 8 kHz, mono. It is
// what the platform sends for every phone call.
const (
	// EncodingMuLaw is the MIME type of G.711 μ-law audio.
	EncodingMuLaw = "audio/x-mulaw"
	// MuLawSampleRate is the sample rate of phone audio, in Hz.
	MuLawSampleRate = 8000
	// MuLawChannels is one: a track is mono.
	MuLawChannels = 1
)

// MediaFormat describes the audio of a stream's media messages.
type MediaFormat struct {
	// Encoding is a MIME type, "audio/x-mulaw" for phone audio.
	Encoding string
	// SampleRate is in samples per second.
	SampleRate int
	// Channels is 1 for mono.
	Channels int
}

// MuLawFormat returns the format callscribe accepts and StreamEncoder
// announces by default.
func MuLawFormat() MediaFormat {
	return MediaFormat{Encoding: EncodingMuLaw, SampleRate: MuLawSampleRate, Channels: MuLawChannels}
}

// Validate reports, wrapping ErrUnsupportedFormat, a format other than μ-law
// at 8000 Hz on one channel. The encoding is compared without regard to case,
// as MIME types are. A session closes such a stream with
// CloseUnsupportedFormat, since it could not decode the audio.
func (f MediaFormat) Validate() error {
	switch {
	case !strings.EqualFold(f.Encoding, EncodingMuLaw):
		return fmt.Errorf("%w: encoding %q, want %q", ErrUnsupportedFormat, f.Encoding, EncodingMuLaw)
	case f.SampleRate != MuLawSampleRate:
		return fmt.Errorf("%w: sample rate %d Hz, want %d", ErrUnsupportedFormat, f.SampleRate, MuLawSampleRate)
	case f.Channels != MuLawChannels:
		return fmt.Errorf("%w: %d channels, want %d", ErrUnsupportedFormat, f.Channels, MuLawChannels)
	}
	return nil
}
