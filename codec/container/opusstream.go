package container

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/callscribe/callscribe/codec/ogg"
	"github.com/callscribe/callscribe/codec/webm"
)

// opusPackets is the Opus track of an Ogg or WebM stream as packets, with
// its identification header once it is known.
type opusPackets struct {
	ogg   *ogg.Demuxer
	webm  *webm.Demuxer
	head  OpusHead
	known bool   // head is read
	tags  bool   // Ogg's comment header is passed
	track uint64 // WebM's Opus track
}

func newOpusPackets(f Format) (*opusPackets, error) {
	var s opusPackets
	var err error
	switch f {
	case Ogg:
		s.ogg, err = ogg.New(ogg.Config{})
	case WebM:
		s.webm, err = webm.New(webm.Config{})
	default:
		return nil, fmt.Errorf("%w: Opus in %v", ErrUnsupported, f)
	}
	return &s, err
}

func (s *opusPackets) write(p []byte) {
	if s.ogg != nil {
		s.ogg.Write(p)
	} else {
		s.webm.Write(p)
	}
}

// next returns the next audio packet: ErrNeedMore, io.EOF at an Ogg
// stream's end, or an error wrapping ErrCorrupt or ErrUnsupported.
func (s *opusPackets) next() ([]byte, error) {
	if s.ogg != nil {
		return s.nextOgg()
	}
	return s.nextWebM()
}

func (s *opusPackets) nextOgg() ([]byte, error) {
	for {
		p, err := s.ogg.Next()
		switch {
		case errors.Is(err, ogg.ErrNeedMore):
			return nil, ErrNeedMore
		case errors.Is(err, io.EOF):
			if !s.known {
				return nil, fmt.Errorf("%w: the Ogg stream ended before its Opus header", ErrCorrupt)
			}
			return nil, io.EOF
		case err != nil:
			return nil, fmt.Errorf("%w: %w", ErrCorrupt, err)
		case !s.known:
			if s.head, err = ParseOpusHead(p); err != nil {
				return nil, oggCodec(p, err)
			}
			s.known = true
		case !s.tags:
			if !strings.HasPrefix(string(p), "OpusTags") {
				return nil, fmt.Errorf("%w: no OpusTags after the Opus header", ErrCorrupt)
			}
			s.tags = true
		default:
			return p, nil
		}
	}
}

// oggCodec names the codec of an Ogg stream that is not Opus, from its
// first packet.
func oggCodec(first []byte, err error) error {
	for magic, name := range map[string]string{"\x01vorbis": "Vorbis", "\x7FFLAC": "FLAC", "Speex   ": "Speex", "\x80theora": "Theora"} {
		if strings.HasPrefix(string(first), magic) {
			return fmt.Errorf("%w: Ogg %s; in Ogg this server decodes Opus", ErrUnsupported, name)
		}
	}
	return err
}

func (s *opusPackets) nextWebM() ([]byte, error) {
	for {
		f, err := s.webm.Next()
		switch {
		case errors.Is(err, webm.ErrNeedMore):
			return nil, ErrNeedMore
		case err != nil:
			return nil, fmt.Errorf("%w: %w", ErrCorrupt, err)
		}
		if !s.known {
			if err := s.pickTrack(); err != nil {
				return nil, err
			}
		}
		if f.Track == s.track {
			return f.Data, nil
		}
	}
}

// pickTrack chooses the first Opus audio track, at the first frame: by
// then every track is declared.
func (s *opusPackets) pickTrack() error {
	var codecs []string
	for _, t := range s.webm.Tracks() {
		if t.Type == webm.TrackTypeAudio || t.Type == 0 {
			codecs = append(codecs, t.CodecID)
		}
		if t.CodecID != "A_OPUS" {
			continue
		}
		h, err := ParseOpusHead(t.CodecPrivate)
		if len(t.CodecPrivate) == 0 { // private data is optional: the track says enough
			h, err = OpusHead{Channels: max(t.Channels, 1), PreSkip: int(min(t.CodecDelay*OpusRate/1e9, 1<<16))}, nil
			if h.Channels > 2 {
				err = fmt.Errorf("%w: Opus of %d channels; this server decodes mono and stereo Opus", ErrUnsupported, h.Channels)
			}
		}
		if err != nil {
			return err
		}
		s.head, s.track, s.known = h, t.Number, true
		return nil
	}
	if len(codecs) == 0 {
		return fmt.Errorf("%w: a WebM stream with no audio track", ErrUnsupported)
	}
	return fmt.Errorf("%w: WebM audio in %s; in WebM this server decodes Opus (A_OPUS)", ErrUnsupported, strings.Join(codecs, ", "))
}
