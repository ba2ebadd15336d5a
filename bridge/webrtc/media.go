package webrtc

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pion/rtp"
	pion "github.com/pion/webrtc/v4"

	"github.com/callscribe/callscribe/bridge/rtpaudio"
)

// packet is one RTP packet of a track, as its reader hands it to the loop.
type packet struct {
	track     *track
	seq       uint16
	timestamp uint32
	pt        uint8
	payload   []byte
	at        time.Time
}

// bind attaches the client's track to the audio section it was announced
// in, with a decoder for its codec, and starts reading it.
func (s *session) bind(rt remoteTrack) {
	t := s.byMid[rt.mid]
	if t == nil || t.path != nil {
		s.log.Warn("ignoring a track the offer did not announce", "mid", rt.mid, "track_id", rt.track.ID())
		return
	}
	codec := rt.track.Codec()
	path, err := s.newPath(codec.MimeType, t)
	if err != nil {
		s.log.Error("cannot decode the track", "track", t.label, "codec", codec.MimeType, "err", err)
		return
	}
	t.path, t.pt = path, uint8(rt.track.PayloadType())
	s.log.Info("track receiving", "track", t.label, "codec", codec.MimeType, "track_id", rt.track.ID())
	s.readers.Add(1)
	go s.read(t, rt.track)
}

// newPath returns the path of a track of codec mime into t's sink.
func (s *session) newPath(mime string, t *track) (*rtpaudio.Track, error) {
	cfg := rtpaudio.Config{Jitter: s.cfg.Jitter, RateGuard: s.cfg.RateGuard}
	var dec rtpaudio.Decoder
	var err error
	switch {
	case strings.EqualFold(mime, pion.MimeTypeOpus) && s.cfg.NewOpusDecoder != nil:
		cfg.ClockRate, cfg.Duration = rtpaudio.OpusClockRate, rtpaudio.OpusDuration
		dec, err = s.cfg.NewOpusDecoder()
	case strings.EqualFold(mime, pion.MimeTypePCMU):
		cfg.ClockRate, cfg.Duration, dec = 8000, rtpaudio.G711Duration, rtpaudio.NewMulaw()
	case strings.EqualFold(mime, pion.MimeTypePCMA):
		cfg.ClockRate, cfg.Duration, dec = 8000, rtpaudio.G711Duration, rtpaudio.NewAlaw()
	default:
		return nil, fmt.Errorf("%w: %s", ErrUnsupportedCodec, mime)
	}
	if err != nil {
		return nil, err
	}
	path, err := rtpaudio.New(cfg, dec, t.sink)
	if err != nil {
		return nil, errors.Join(err, dec.Close())
	}
	return path, nil
}

// read hands a track's packets to the loop until the loop stops or the
// connection closes. A packet that finds the queue full is dropped and
// counted: the loop is starved, and the jitter buffer conceals the hole.
func (s *session) read(t *track, remote *pion.TrackRemote) {
	defer s.readers.Done()
	buf := make([]byte, 1500)
	var h rtp.Packet
	for {
		n, _, err := remote.Read(buf)
		if err != nil {
			return
		}
		if err := h.Unmarshal(buf[:n]); err != nil {
			s.srv.Stats.BadPackets.Add(1)
			continue
		}
		p := packet{track: t, seq: h.SequenceNumber, timestamp: h.Timestamp, pt: h.PayloadType,
			payload: bytes.Clone(h.Payload), at: s.clock.Now()}
		select {
		case s.packets <- p:
		case <-s.ending:
			return
		default:
			s.srv.Stats.DroppedPackets.Add(1)
		}
	}
}

// packet places one packet on its track. The call's time starts with the
// first packet of any track.
func (s *session) packet(p packet) string {
	if !s.media {
		s.media, s.epoch = true, p.at
	}
	s.lastMedia, p.track.last = p.at, p.at
	if p.pt != p.track.pt || len(p.payload) == 0 {
		s.srv.Stats.BadPackets.Add(1)
		return ""
	}
	err := p.track.path.Push(rtpaudio.Packet{Seq: p.seq, Timestamp: p.timestamp, Payload: p.payload, At: p.at.Sub(s.epoch)})
	switch {
	case errors.Is(err, rtpaudio.ErrTooFast):
		s.log.Warn("media faster than real time", "track", p.track.label, "err", err)
		return ReasonTooFast
	case err != nil:
		s.log.Error("track refused audio", "track", p.track.label, "err", err)
		return ReasonOverloaded
	}
	s.stream.AdvanceMedia(p.track.path.End().Seconds())
	return ""
}
