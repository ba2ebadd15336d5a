package deepgram

import (
	"encoding/binary"
	"fmt"
	"math"
	"strings"

	"github.com/callscribe/callscribe/codec"
)

// Encoding names a raw audio encoding.
type Encoding string

// Encodings callscribe decodes. Deepgram's others (opus, ogg-opus, flac,
// amr-nb, amr-wb, speex, g729) are refused: callscribe has no decoder for
// them.
const (
	Linear16 Encoding = "linear16"
	Linear32 Encoding = "linear32"
	Mulaw    Encoding = "mulaw"
	Alaw     Encoding = "alaw"
	// Float32 is no Deepgram encoding; a WAV of IEEE floats decodes as it.
	Float32 Encoding = "float32"
)

func parseEncoding(v string) (Encoding, error) {
	switch e := Encoding(strings.ToLower(v)); e {
	case Linear16, Linear32, Mulaw, Alaw:
		return e, nil
	case "opus", "ogg-opus", "flac", "amr-nb", "amr-wb", "speex", "g729":
		return "", fmt.Errorf("%w: encoding %s: this server decodes linear16, linear32, mulaw, alaw and WAV files", ErrUnsupported, e)
	default:
		return "", fmt.Errorf("%w: unknown encoding %q", ErrBadParams, v)
	}
}

// bytesPerSample is the size of one sample of one channel.
func (e Encoding) bytesPerSample() int {
	switch e {
	case Linear16:
		return 2
	case Linear32, Float32:
		return 4
	}
	return 1
}

// decode appends src's samples (whole samples only) as float32.
func (e Encoding) decode(dst []float32, src []byte) []float32 {
	switch e {
	case Linear16:
		return codec.DecodeLinear16LE(dst, src)
	case Float32:
		return codec.DecodeFloat32LE(dst, src)
	case Linear32:
		for i := 0; i+4 <= len(src); i += 4 {
			dst = append(dst, float32(float64(int32(binary.LittleEndian.Uint32(src[i:])))/(math.MaxInt32+1)))
		}
		return dst
	case Mulaw:
		return codec.DecodeMulaw(dst, src)
	default:
		return codec.DecodeAlaw(dst, src)
	}
}

// containerName names the container src starts with, for the error that
// refuses it; "" if it is none callscribe knows.
func containerName(src []byte) string {
	switch {
	case len(src) >= 4 && string(src[:4]) == "OggS":
		return "Ogg"
	case len(src) >= 4 && string(src[:4]) == "fLaC":
		return "FLAC"
	case len(src) >= 4 && binary.BigEndian.Uint32(src) == 0x1A45DFA3:
		return "WebM/Matroska"
	case len(src) >= 3 && string(src[:3]) == "ID3", len(src) >= 2 && src[0] == 0xFF && src[1]&0xE0 == 0xE0:
		return "MP3"
	case len(src) >= 8 && string(src[4:8]) == "ftyp":
		return "MP4"
	}
	return ""
}
