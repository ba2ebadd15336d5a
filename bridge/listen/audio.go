package listen

import (
	"context"
	"time"

	"github.com/gorilla/websocket"
)

// audio decodes one binary message. A message may end mid-frame: the
// remainder waits for the next one, so clients may cut their stream anywhere.
func (s *session) audio(data []byte) error {
	frame := s.p.Encoding.bytesPerSample() * s.p.Channels
	buf := data
	if len(s.carry) > 0 {
		s.carry = append(s.carry, data...)
		buf = s.carry
	}
	whole := len(buf) / frame * frame
	s.decoded = s.p.Encoding.decode(s.decoded[:0], buf[:whole])
	rest := buf[whole:]
	s.carry = append(s.carry[:0], rest...)

	n := len(s.decoded) / s.p.Channels
	position := time.Duration(s.frames+int64(n)) * time.Second / time.Duration(s.p.SampleRate)
	if err := s.guard.Observe(time.Now(), position); err != nil {
		return &streamError{websocket.ClosePolicyViolation, "audio faster than real time"}
	}
	for c, t := range s.tracks {
		t.in = t.in[:0]
		for i := c; i < len(s.decoded); i += s.p.Channels {
			t.in = append(t.in, s.decoded[i])
		}
		if err := t.write(t.resampler.Process(t.out[:0], t.in)); err != nil {
			return &streamError{websocket.CloseTryAgainLater, "server at capacity, retry later"}
		}
	}
	s.frames += int64(n)
	s.stream.AdvanceMedia(float64(s.frames) / float64(s.p.SampleRate))
	return nil
}

func (t *channelPath) write(samples []float32) error {
	t.out = samples
	if len(samples) == 0 {
		return nil
	}
	err := t.sink.Write(t.next, samples)
	t.next += int64(len(samples))
	return err
}

// finish flushes every channel, waits for the last finals and ends the
// stream in the hub.
func (s *session) finish(why string) {
	if s.stream == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.srv.cfg.CloseTimeout)
	defer cancel()
	for i, t := range s.tracks {
		if err := t.write(t.resampler.Flush(t.out[:0])); err != nil {
			s.log.Warn("flushing channel", "channel", i, "err", err)
		}
		if err := t.sink.Close(ctx); err != nil {
			s.log.Error("channel did not finish", "channel", i, "err", err)
		}
	}
	s.stream.End(why)
	s.log.Info("listen stream ended", "reason", why, "seconds", float64(s.frames)/float64(s.p.SampleRate))
}
