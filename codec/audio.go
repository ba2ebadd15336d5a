package codec

import (
	"fmt"
	"math"
	"time"
)

// Audio is decoded audio with its channels kept apart. Channels[0] is the
// first (left) channel; every channel has the same number of samples. A
// stereo call recording usually carries one party per channel, and each is
// transcribed on its own, so nothing here mixes channels down.
type Audio struct {
	// SampleRate is the number of samples per second in each channel.
	SampleRate int
	// Channels holds one slice of samples, in [-1, 1) for integer
	// encodings, per channel.
	Channels [][]float32
}

// Frames returns the number of samples in each channel.
func (a *Audio) Frames() int {
	if len(a.Channels) == 0 {
		return 0
	}
	return len(a.Channels[0])
}

// Duration returns the length of the audio, or 0 if the sample rate is not
// positive.
func (a *Audio) Duration() time.Duration {
	if a.SampleRate <= 0 {
		return 0
	}
	return time.Duration(float64(a.Frames()) / float64(a.SampleRate) * float64(time.Second))
}

// Resampled returns a new Audio with every channel converted to rate (Hz)
// by Resample, so each output sample keeps the time of the input it came
// from. The receiver is not modified; at an equal rate the result is a
// copy.
func (a *Audio) Resampled(rate int) (*Audio, error) {
	if err := a.validate(); err != nil {
		return nil, err
	}
	r, err := NewResampler(a.SampleRate, rate)
	if err != nil {
		return nil, err
	}
	out := &Audio{SampleRate: rate, Channels: make([][]float32, len(a.Channels))}
	for i, ch := range a.Channels {
		dst := make([]float32, 0, r.MaxOutputLen(len(ch)))
		out.Channels[i] = r.Flush(r.Process(dst, ch)) // Flush also resets r
	}
	return out, nil
}

// validate checks what every consumer of an Audio relies on.
func (a *Audio) validate() error {
	switch {
	case a == nil:
		return fmt.Errorf("audio is nil: %w", ErrInvalidAudio)
	case a.SampleRate <= 0 || a.SampleRate > math.MaxInt32:
		return fmt.Errorf("sample rate %d: %w", a.SampleRate, ErrInvalidAudio)
	case len(a.Channels) == 0:
		return fmt.Errorf("no channels: %w", ErrInvalidAudio)
	}
	for i, ch := range a.Channels {
		if len(ch) != len(a.Channels[0]) {
			return fmt.Errorf("channel %d has %d samples, channel 0 has %d: %w",
				i, len(ch), len(a.Channels[0]), ErrInvalidAudio)
		}
	}
	return nil
}

// Format is a sample encoding that WriteWAV can produce.
type Format int

// The formats WriteWAV writes.
const (
	// FormatPCM16 is signed 16-bit linear PCM, the usual speech WAV.
	FormatPCM16 Format = iota + 1
	// FormatFloat32 is IEEE 754 float32, lossless for this package's
	// samples.
	FormatFloat32
	// FormatMulaw is G.711 mu-law, 8 bits per sample, as on North
	// American and Japanese phone networks.
	FormatMulaw
	// FormatAlaw is G.711 A-law, 8 bits per sample, as on European phone
	// networks.
	FormatAlaw
)

// String returns the format's name, such as "mu-law".
func (f Format) String() string {
	switch f {
	case FormatPCM16:
		return "PCM16"
	case FormatFloat32:
		return "float32"
	case FormatMulaw:
		return "mu-law"
	case FormatAlaw:
		return "A-law"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}
