package deepgram

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// wavFormat is what a WAV header says of the samples after it.
type wavFormat struct {
	enc      Encoding
	rate     int
	channels int
}

// errShortHeader: the header goes on past the bytes seen so far.
var errShortHeader = errors.New("deepgram: wav header incomplete")

// maxHeader bounds the bytes read before a WAV's data chunk.
const maxHeader = 64 << 10

// parseWAVHeader reads a WAV header from the start of a live stream: RIFF,
// the fmt chunk, any other chunks, up to the data chunk, whose length is
// ignored (a live recorder writes 0 or the maximum). It returns the format
// and where the samples start, errShortHeader when b ends inside the
// header, or an error wrapping ErrUnsupported.
func parseWAVHeader(b []byte) (wavFormat, int, error) {
	var f wavFormat
	if len(b) < 12 {
		return f, 0, errShortHeader
	}
	if string(b[:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		return f, 0, fmt.Errorf("%w: no WAV header", ErrUnsupported)
	}
	gotFmt := false
	for off := 12; ; {
		if off+8 > len(b) {
			return f, 0, errShortHeader
		}
		id, size := string(b[off:off+4]), int(binary.LittleEndian.Uint32(b[off+4:]))
		off += 8
		if id == "data" {
			if !gotFmt {
				return f, 0, fmt.Errorf("%w: WAV data before its fmt chunk", ErrUnsupported)
			}
			return f, off, nil
		}
		if size < 0 || size > maxHeader {
			return f, 0, fmt.Errorf("%w: WAV chunk %q of %d bytes before the data", ErrUnsupported, id, size)
		}
		if off+size > len(b) {
			return f, 0, errShortHeader
		}
		if id == "fmt " {
			var err error
			if f, err = parseFmt(b[off : off+size]); err != nil {
				return f, 0, err
			}
			gotFmt = true
		}
		off += size + size&1
	}
}

// parseFmt reads a fmt chunk of PCM 16/32, IEEE float 32, mu-law or A-law.
func parseFmt(c []byte) (wavFormat, error) {
	if len(c) < 16 {
		return wavFormat{}, fmt.Errorf("%w: WAV fmt chunk of %d bytes", ErrUnsupported, len(c))
	}
	tag, ch := binary.LittleEndian.Uint16(c), int(binary.LittleEndian.Uint16(c[2:]))
	rate, bits := int(binary.LittleEndian.Uint32(c[4:])), binary.LittleEndian.Uint16(c[14:])
	if tag == 0xFFFE && len(c) >= 26 { // WAVE_FORMAT_EXTENSIBLE: the sub-format says
		tag = binary.LittleEndian.Uint16(c[24:])
	}
	f := wavFormat{rate: rate, channels: ch}
	switch {
	case tag == 1 && bits == 16:
		f.enc = Linear16
	case tag == 1 && bits == 32:
		f.enc = Linear32
	case tag == 3 && bits == 32:
		f.enc = Float32
	case tag == 7 && bits == 8:
		f.enc = Mulaw
	case tag == 6 && bits == 8:
		f.enc = Alaw
	default:
		return f, fmt.Errorf("%w: WAV format %d with %d-bit samples (live WAV takes 16/32-bit PCM, float, mu-law, A-law)", ErrUnsupported, tag, bits)
	}
	if ch < 1 || ch > maxChannels || rate < 8000 || rate > 192000 {
		return f, fmt.Errorf("%w: WAV of %d channels at %d Hz", ErrUnsupported, ch, rate)
	}
	return f, nil
}
