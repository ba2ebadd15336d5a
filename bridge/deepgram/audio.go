package deepgram

import (
	"context"
	"errors"
	"time"

	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge/wsconn"
)

// audio takes one binary message: the WAV header first when the stream
// has no encoding, then samples, which may end mid-frame (the remainder
// waits for the next message).
func (s *session) audio(ctx context.Context, data []byte) error {
	s.sum.Write(data)
	if s.format == nil {
		s.head = append(s.head, data...)
		f, at, err := parseWAVHeader(s.head)
		switch {
		case errors.Is(err, errShortHeader) && len(s.head) < maxHeader:
			return nil
		case errors.Is(err, errShortHeader):
			return badData(errors.New("no WAV data chunk in the first 64 KiB"))
		case err != nil:
			return badData(err)
		}
		s.format, data, s.head = &f, s.head[at:], nil
		s.p.Channels = f.channels // the header says how many
		n := len(s.trackNames())
		s.out.do(func(tr *translator, _ float64) []any { tr.setChannels(n); return nil })
		if err := s.openTracks(ctx); err != nil {
			return err
		}
	}
	return s.samples(data)
}

// samples decodes whole frames and writes each track's share.
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
