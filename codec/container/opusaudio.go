package container

import (
	"errors"
	"fmt"
	"math"
)

// OpusDecoder decodes one Opus stream's packets to float32 samples,
// interleaved when it has two channels. codec/opus's Decoder is one.
type OpusDecoder interface {
	Decode(dst []float32, packet []byte) ([]float32, error)
	Close() error
}

// NewOpusDecoder makes an OpusDecoder producing channels channels (1 mixes
// a stereo stream down) at rate Hz, one of Opus's rates (8, 12, 16, 24 or
// 48 kHz).
type NewOpusDecoder func(rate, channels int) (OpusDecoder, error)

// OpusAudio decodes the Opus track of an Ogg or WebM stream as its bytes
// arrive. It is not safe for concurrent use.
type OpusAudio struct {
	packets  *opusPackets
	newDec   NewOpusDecoder
	dec      OpusDecoder
	rate     int
	mix      bool
	channels int     // of the output, once the header is read
	skip     int     // samples per channel still to drop (the pre-skip)
	gain     float32 // the header's output gain as a factor
	err      error
}

// NewOpusAudio returns an OpusAudio for a stream in format f (Ogg or
// WebM), decoding at rate Hz with decoders newDec makes: mono when mix is
// set, else with the stream's own channels.
func NewOpusAudio(f Format, rate int, mix bool, newDec NewOpusDecoder) (*OpusAudio, error) {
	p, err := newOpusPackets(f)
	if err != nil {
		return nil, err
	}
	if rate <= 0 || OpusRate%rate != 0 || newDec == nil {
		return nil, fmt.Errorf("%w: Opus decoding at %d Hz", ErrUnsupported, rate)
	}
	return &OpusAudio{packets: p, newDec: newDec, rate: rate, mix: mix}, nil
}

// Write adds the next bytes of the stream; p may be reused once it
// returns.
func (a *OpusAudio) Write(p []byte) { a.packets.write(p) }

// Channels returns how many channels the decoded samples interleave, or 0
// while the stream's header has not arrived.
func (a *OpusAudio) Channels() int { return a.channels }

// Rate returns the rate of the decoded samples, in Hz.
func (a *OpusAudio) Rate() int { return a.rate }

// Decode appends the samples of every whole packet written so far to dst,
// interleaved. It returns io.EOF once an Ogg stream's last page is
// decoded, or an error wrapping ErrCorrupt or ErrUnsupported, which ends
// the stream: it is returned again.
func (a *OpusAudio) Decode(dst []float32) ([]float32, error) {
	for a.err == nil {
		p, err := a.packets.next()
		if errors.Is(err, ErrNeedMore) {
			return dst, nil
		}
		if err != nil {
			a.err = err
			break
		}
		if a.dec == nil {
			if err := a.open(); err != nil {
				a.err = err
				break
			}
		}
		if len(p) == 0 {
			continue // an empty packet carries no audio (RFC 7845, 4.3)
		}
		n := len(dst)
		if dst, err = a.dec.Decode(dst, p); err != nil {
			a.err = fmt.Errorf("%w: %w", ErrCorrupt, err)
			break
		}
		dst = a.trim(dst, n)
	}
	return dst, a.err
}

// open makes the decoder once the header says the channels.
func (a *OpusAudio) open() error {
	h := a.packets.head
	a.channels = h.Channels
	if a.mix {
		a.channels = 1
	}
	dec, err := a.newDec(a.rate, a.channels)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrUnsupported, err)
	}
	a.dec = dec
	a.skip = h.PreSkip * a.rate / OpusRate
	a.gain = float32(math.Pow(10, float64(h.Gain)/(20*256)))
	return nil
}

// trim drops what is left of the pre-skip from the samples appended after
// n, and applies the gain to the rest.
func (a *OpusAudio) trim(dst []float32, n int) []float32 {
	if a.skip > 0 {
		drop := min(a.skip*a.channels, len(dst)-n)
		dst = append(dst[:n], dst[n+drop:]...)
		a.skip -= drop / a.channels
	}
	if a.gain != 1 {
		for i := n; i < len(dst); i++ {
			dst[i] *= a.gain
		}
	}
	return dst
}

// Close frees the decoder.
func (a *OpusAudio) Close() error {
	if a.dec == nil {
		return nil
	}
	err := a.dec.Close()
	a.dec = nil
	if a.err == nil {
		a.err = fmt.Errorf("%w: decoder closed", ErrCorrupt)
	}
	return err
}
