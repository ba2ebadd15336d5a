package listen

import (
	"time"

	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge/wsconn"
)

// audio decodes one binary message. A message may end mid-frame: the
// remainder waits for the next one, so clients may cut their stream
// anywhere.
func (s *session) audio(data []byte) error {
	frame := s.p.Encoding.bytesPerSample() * s.p.Channels
	buf := data
	if len(s.carry) > 0 {
		s.carry = append(s.carry, data...)
		buf = s.carry
	}
	whole := len(buf) / frame * frame
	s.decoded = s.p.Encoding.decode(s.decoded[:0], buf[:whole])
	s.carry = append(s.carry[:0], buf[whole:]...)

	n := len(s.decoded) / s.p.Channels
	position := time.Duration(s.frames+int64(n)) * time.Second / time.Duration(s.p.SampleRate)
	if err := s.guard.Observe(s.srv.cfg.Clock.Now(), position); err != nil {
		return &wsconn.CloseError{Code: websocket.ClosePolicyViolation, Reason: "audio faster than real time", Err: err}
	}
	for c, f := range s.tracks {
		s.channel = s.channel[:0]
		for i := c; i < len(s.decoded); i += s.p.Channels {
			s.channel = append(s.channel, s.decoded[i])
		}
		if err := f.Write(s.channel); err != nil {
			return &wsconn.CloseError{Code: websocket.CloseTryAgainLater, Reason: wsconn.ReasonOverloaded, Err: err}
		}
	}
	s.frames += int64(n)
	s.stream.AdvanceMedia(float64(s.frames) / float64(s.p.SampleRate))
	return nil
}
