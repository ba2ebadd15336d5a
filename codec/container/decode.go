package container

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/callscribe/callscribe/codec"
)

// Options say how Decode delivers a file.
type Options struct {
	// Rate is the rate of the Audio returned, in Hz; Opus is decoded at
	// it, so it must be one of Opus's rates for Opus files. Required.
	Rate int
	// Mix averages the channels into one.
	Mix bool
	// MaxDuration bounds the decoded audio; over it, Decode fails with
	// ErrTooLong. Required: a few compressed bytes can stand for hours.
	MaxDuration time.Duration
	// MaxChannels bounds the channels kept apart; more fail with
	// ErrUnsupported. Default 8.
	MaxChannels int
	// NewOpusDecoder makes Opus decoders; without it Opus files fail with
	// ErrUnsupported.
	NewOpusDecoder NewOpusDecoder
}

// Decode decodes a whole Ogg/Opus, WebM/Opus, MP3 or FLAC file of format f
// (Sniff's) into an Audio at o.Rate, each channel apart unless o.Mix.
// Other formats fail with ErrUnsupported, unreadable data with ErrCorrupt.
func Decode(data []byte, f Format, o Options) (a *codec.Audio, err error) {
	if o.Rate <= 0 || o.MaxDuration <= 0 {
		return nil, fmt.Errorf("%w: decoding needs a rate and a maximum duration", ErrUnsupported)
	}
	if o.MaxChannels == 0 {
		o.MaxChannels = 8
	}
	// The MP3 and FLAC decoders are other projects' code fed hostile
	// input: a panic in them is a file that cannot be read, not a crash.
	defer func() {
		if r := recover(); r != nil {
			a, err = nil, fmt.Errorf("%w: %v file: decoder failed: %v", ErrCorrupt, f, r)
		}
	}()
	switch f {
	case Ogg, WebM:
		return decodeOpus(data, f, o)
	case MP3:
		return decodeMP3(data, o)
	case FLAC:
		return decodeFLAC(data, o)
	}
	return nil, fmt.Errorf("%w: %v", ErrUnsupported, f)
}

func decodeOpus(data []byte, f Format, o Options) (*codec.Audio, error) {
	if o.NewOpusDecoder == nil {
		return nil, fmt.Errorf("%w: no Opus decoder", ErrUnsupported)
	}
	oa, err := NewOpusAudio(f, o.Rate, o.Mix, o.NewOpusDecoder)
	if err != nil {
		return nil, err
	}
	defer oa.Close()
	var b *builder
	var buf []float32
	for len(data) > 0 {
		n := min(len(data), 64<<10) // piecewise: the demuxer holds a piece, not the file
		oa.Write(data[:n])
		data = data[n:]
		buf, err = oa.Decode(buf[:0])
		if b == nil && oa.Channels() > 0 {
			if b, err = newBuilder(o.Rate, oa.Channels(), o); err != nil {
				return nil, err
			}
		}
		if b != nil {
			if aerr := b.add(buf); aerr != nil {
				return nil, aerr
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	if b == nil {
		return nil, fmt.Errorf("%w: %v: no Opus audio", ErrCorrupt, f)
	}
	return b.audio()
}

// builder collects interleaved samples into an Audio at the output rate,
// resampling and mixing as they come, so that no more than the output is
// ever held.
type builder struct {
	channels int // of the input
	mix      bool
	rs       []*codec.Resampler
	out      [][]float32
	max      int // output samples a channel may hold
	ch       []float32
}

func newBuilder(rate, channels int, o Options) (*builder, error) {
	if channels < 1 || (!o.Mix && channels > o.MaxChannels) {
		return nil, fmt.Errorf("%w: %d channels (at most %d apart)", ErrUnsupported, channels, o.MaxChannels)
	}
	b := &builder{channels: channels, mix: o.Mix, max: int(o.MaxDuration.Seconds() * float64(o.Rate))}
	outs := channels
	if o.Mix {
		outs = 1
	}
	for range outs {
		r, err := codec.NewResampler(rate, o.Rate)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrUnsupported, err)
		}
		b.rs = append(b.rs, r)
		b.out = append(b.out, nil)
	}
	return b, nil
}

// add takes interleaved samples of the input's channels.
func (b *builder) add(interleaved []float32) error {
	frames := len(interleaved) / b.channels
	for c, r := range b.rs {
		b.ch = b.ch[:0]
		for i := range frames {
			if b.mix {
				var sum float32
				for _, v := range interleaved[i*b.channels : (i+1)*b.channels] {
					sum += v
				}
				b.ch = append(b.ch, sum/float32(b.channels))
			} else {
				b.ch = append(b.ch, interleaved[i*b.channels+c])
			}
		}
		b.out[c] = r.Process(b.out[c], b.ch)
		if len(b.out[c]) > b.max {
			return fmt.Errorf("%w: over %v of audio", ErrTooLong, time.Duration(float64(b.max)/float64(b.rs[0].OutRate())*float64(time.Second)))
		}
	}
	return nil
}

// audio flushes the resamplers and returns what was collected.
func (b *builder) audio() (*codec.Audio, error) {
	a := &codec.Audio{SampleRate: b.rs[0].OutRate()}
	for c, r := range b.rs {
		a.Channels = append(a.Channels, r.Flush(b.out[c]))
	}
	if a.Frames() == 0 {
		return nil, fmt.Errorf("%w: no audio samples", ErrCorrupt)
	}
	return a, nil
}
