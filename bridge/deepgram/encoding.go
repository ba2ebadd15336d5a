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

// Encodings callscribe decodes. Deepgram's others (amr-nb, amr-wb, speex,
// g729) are refused: callscribe has no decoder for them.
const (
	Linear16 Encoding = "linear16"
	Linear32 Encoding = "linear32"
	Mulaw    Encoding = "mulaw"
	Alaw     Encoding = "alaw"
	// Opus is Deepgram's "opus": Ogg-encapsulated Opus, as Deepgram's
	// documentation long defined it, or, when a live stream's first
	// message is no Ogg page, raw Opus packets, one a message.
	Opus Encoding = "opus"
	// OggOpus is Opus in Ogg.
	OggOpus Encoding = "ogg-opus"
	// FLAC is FLAC files (POST /v1/listen); live FLAC is refused.
	FLAC Encoding = "flac"
	// Float32 is no Deepgram encoding; a WAV of IEEE floats decodes as it.
	Float32 Encoding = "float32"
)

// supported is what the refusals of other audio say callscribe takes.
const supported = "this server decodes linear16, linear32, mulaw, alaw and opus (raw or in Ogg), WAV, Ogg/Opus and WebM/Opus live, and MP3 and FLAC files besides"

func parseEncoding(v string) (Encoding, error) {
	switch e := Encoding(strings.ToLower(v)); e {
	case Linear16, Linear32, Mulaw, Alaw, Opus, OggOpus, FLAC:
		return e, nil
	case "amr-nb", "amr-wb", "speex", "g729":
		return "", fmt.Errorf("%w: encoding %s: %s", ErrUnsupported, e, supported)
	default:
		return "", fmt.Errorf("%w: unknown encoding %q", ErrBadParams, v)
	}
}

// compressed reports whether e is a codec whose own framing says its rate
// and channels: sample_rate is not needed, the bytes are not raw samples.
func (e Encoding) compressed() bool { return e == Opus || e == OggOpus || e == FLAC }

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
