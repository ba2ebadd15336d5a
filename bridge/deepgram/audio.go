package deepgram

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/wsconn"
	"github.com/callscribe/callscribe/codec/container"
)

// opusRate is the rate Opus is decoded at: straight to the pipeline's
// 16 kHz, which libopus does for less than decoding at 48 kHz and
// resampling (README, Performance), and which keeps the 8 kHz of speech
// band Whisper hears.
const opusRate = bridge.SampleRate

// supportedLive is what a refusal of a live stream's container says
// callscribe takes.
const supportedLive = "live streams take WAV, Ogg/Opus and WebM/Opus without encoding, or raw audio with encoding and sample_rate"

// audio takes one binary message: the container's first bytes tell the
// format when the stream has no encoding; then samples, which may end
// mid-frame (the remainder waits for the next message), or the bytes of
// an Ogg or WebM stream, or one raw Opus packet.
func (s *session) audio(ctx context.Context, data []byte) error {
	s.sum.Write(data)
	switch {
	case s.opus != nil:
		s.opus.Write(data)
		return s.opusAudio(ctx)
	case s.rawOpus != nil:
		return s.opusPacket(data)
	case s.format != nil:
		return s.samples(data)
	}
	s.head = append(s.head, data...)
	if s.sniffed == container.WAV {
		return s.wavHeader(ctx)
	}
	if s.p.Encoding == Opus || s.p.Encoding == OggOpus {
		return s.opusStart(ctx)
	}
	switch s.sniffed = container.Sniff(s.head); {
	case s.sniffed == container.WAV:
		return s.wavHeader(ctx)
	case s.sniffed == container.Ogg, s.sniffed == container.WebM:
		return s.openOpus(ctx, s.sniffed)
	case s.sniffed == container.Unknown && len(s.head) < container.SniffLen:
		return nil
	case s.sniffed == container.Unknown:
		return badData(fmt.Errorf("%w: no container recognised; raw audio needs encoding and sample_rate", ErrUnsupported))
	default:
		return badData(fmt.Errorf("%w: %v audio; %s", ErrUnsupported, s.sniffed, supportedLive))
	}
}

// wavHeader reads the WAV header, over as many messages as it takes.
func (s *session) wavHeader(ctx context.Context) error {
	f, at, err := parseWAVHeader(s.head)
	switch {
	case errors.Is(err, errShortHeader) && len(s.head) < maxHeader:
		return nil
	case errors.Is(err, errShortHeader):
		return badData(errors.New("no WAV data chunk in the first 64 KiB"))
	case err != nil:
		return badData(err)
	}
	data := s.head[at:]
	s.head = nil
	if err := s.setFormat(ctx, f); err != nil {
		return err
	}
	return s.samples(data)
}

// setFormat takes the format a header gave (its channels are the stream's)
// and opens the tracks.
func (s *session) setFormat(ctx context.Context, f wavFormat) error {
	s.format = &f
	s.p.Channels = f.channels
	n := len(s.trackNames())
	s.out.do(func(tr *translator, _ float64) []any { tr.setChannels(n); return nil })
	return s.openTracks(ctx)
}

// opusStart decides what encoding=opus or ogg-opus is: Ogg when the
// stream starts with a page, else (opus only) raw packets, a message each.
func (s *session) opusStart(ctx context.Context) error {
	const capture = "OggS"
	n := min(len(s.head), len(capture))
	switch {
	case string(s.head[:n]) == capture[:n] && n < len(capture):
		return nil // too short to tell
	case string(s.head[:n]) == capture:
		return s.openOpus(ctx, container.Ogg)
	case s.p.Encoding == OggOpus:
		return badData(fmt.Errorf("%w: encoding ogg-opus, but the audio is no Ogg stream", ErrUnsupported))
	}
	if s.srv.cfg.NewOpusDecoder == nil {
		return badData(fmt.Errorf("%w: Opus: this server has no Opus decoder", ErrUnsupported))
	}
	dec, err := s.srv.cfg.NewOpusDecoder(opusRate, s.p.Channels)
	if err != nil {
		return badData(fmt.Errorf("%w: raw Opus of %d channels: %w", ErrUnsupported, s.p.Channels, err))
	}
	s.rawOpus = dec
	first := s.head
	s.head = nil
	if err := s.setFormat(ctx, wavFormat{enc: Float32, rate: opusRate, channels: s.p.Channels}); err != nil {
		return err
	}
	return s.opusPacket(first)
}

// openOpus starts decoding Opus from an Ogg or WebM stream.
func (s *session) openOpus(ctx context.Context, f container.Format) error {
	if s.srv.cfg.NewOpusDecoder == nil {
		return badData(fmt.Errorf("%w: %v/Opus: this server has no Opus decoder", ErrUnsupported, f))
	}
	oa, err := container.NewOpusAudio(f, opusRate, false, s.srv.cfg.NewOpusDecoder)
	if err != nil {
		return badData(err)
	}
	s.opus = oa
	oa.Write(s.head)
	s.head = nil
	return s.opusAudio(ctx)
}

// opusAudio decodes every whole packet the container holds and writes the
// samples; the tracks open with the first packet, once the header has
// said the channels.
func (s *session) opusAudio(ctx context.Context) error {
	var err error
	s.decoded, err = s.opus.Decode(s.decoded[:0])
	if errors.Is(err, io.EOF) {
		err = nil // an Ogg stream's last page: what follows is no audio
	}
	if s.format == nil && s.opus.Channels() > 0 {
		if ferr := s.setFormat(ctx, wavFormat{enc: Float32, rate: opusRate, channels: s.opus.Channels()}); ferr != nil {
			return ferr
		}
	}
	if s.format != nil && len(s.decoded) > 0 {
		if werr := s.write(); werr != nil {
			return werr
		}
	}
	if err != nil {
		return badData(err)
	}
	return nil
}

// opusPacket decodes one raw Opus packet.
func (s *session) opusPacket(p []byte) error {
	var err error
	if s.decoded, err = s.rawOpus.Decode(s.decoded[:0], p); err != nil {
		return badData(err)
	}
	return s.write()
}

// samples decodes whole frames of raw audio and writes them.
func (s *session) samples(data []byte) error {
	f := s.format
	frame := f.enc.bytesPerSample() * f.channels
	buf := data
	if len(s.carry) > 0 {
		s.carry = append(s.carry, data...)
		buf = s.carry
	}
	whole := len(buf) / frame * frame
	s.decoded = f.enc.decode(s.decoded[:0], buf[:whole])
	s.carry = append(s.carry[:0], buf[whole:]...)
	return s.write()
}

// write hands each track its share of the decoded frames.
func (s *session) write() error {
	f := s.format
	n := len(s.decoded) / f.channels
	position := time.Duration(s.frames+int64(n)) * time.Second / time.Duration(f.rate)
	if err := s.guard.Observe(s.now(), position); err != nil {
		return tooFast(err)
	}
	for t, feed := range s.tracks {
		s.channel = s.trackSamples(s.channel[:0], t, len(s.tracks))
		if err := feed.Write(s.channel); err != nil {
			return &wsconn.CloseError{Code: websocket.CloseTryAgainLater, Reason: wsconn.ReasonOverloaded, Err: err}
		}
	}
	s.frames += int64(n)
	media := float64(s.frames) / float64(f.rate)
	s.stream.AdvanceMedia(media)
	s.out.advance(media)
	return nil
}

// trackSamples appends track t's samples of the decoded frames: its own
// channel, or, for one track of several channels, their mean.
func (s *session) trackSamples(dst []float32, t, tracks int) []float32 {
	ch := s.format.channels
	if tracks == ch {
		for i := t; i < len(s.decoded); i += ch {
			dst = append(dst, s.decoded[i])
		}
		return dst
	}
	for i := 0; i+ch <= len(s.decoded); i += ch {
		var sum float32
		for _, v := range s.decoded[i : i+ch] {
			sum += v
		}
		dst = append(dst, sum/float32(ch))
	}
	return dst
}
