package container

import (
	"encoding/binary"
	"fmt"
)

// OpusRate is the rate Opus's timing is counted in (pre-skip, granule
// positions, WebM's codec delay), whatever rate it is decoded at.
const OpusRate = 48000

// OpusHead is an Opus stream's identification header (RFC 7845, section
// 5.1), which Ogg carries as its first packet and WebM as the track's
// CodecPrivate.
type OpusHead struct {
	Channels  int
	PreSkip   int // 48 kHz samples to drop from the decoded start
	InputRate int // the encoder's input rate: information only
	Gain      int // output gain in 1/256 dB
	Family    int // channel mapping family: 0 for mono and stereo
}

// ParseOpusHead reads an identification header. Channel mapping families
// other than 0 (more than two channels, in several Opus streams) are
// refused with ErrUnsupported.
func ParseOpusHead(b []byte) (OpusHead, error) {
	var h OpusHead
	if len(b) < 19 || string(b[:8]) != "OpusHead" {
		return h, fmt.Errorf("%w: no Opus identification header", ErrCorrupt)
	}
	if b[8]>>4 != 0 { // an incompatible major version
		return h, fmt.Errorf("%w: Opus header version %d", ErrUnsupported, b[8])
	}
	h = OpusHead{Channels: int(b[9]), PreSkip: int(binary.LittleEndian.Uint16(b[10:])), InputRate: int(binary.LittleEndian.Uint32(b[12:])),
		Gain: int(int16(binary.LittleEndian.Uint16(b[16:]))), Family: int(b[18])}
	switch {
	case h.Channels == 0:
		return h, fmt.Errorf("%w: Opus header of 0 channels", ErrCorrupt)
	case h.Family != 0 || h.Channels > 2:
		return h, fmt.Errorf("%w: Opus of %d channels (mapping family %d); this server decodes mono and stereo Opus", ErrUnsupported, h.Channels, h.Family)
	}
	return h, nil
}
