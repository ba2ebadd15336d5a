// Package listen serves GET /v1/raw: a raw-audio WebSocket for SDKs and
// browsers that speaks callscribe's own events. The client picks the
// encoding in the query string, sends audio as binary frames and control
// messages as text, and receives the call's transcript events (the
// bridge/event schema, as subscriptions and webhooks carry them) as JSON
// text messages. (GET /v1/listen is Deepgram's API, package deepgram.)
//
//	GET /v1/raw?encoding=linear16&sample_rate=16000&channels=1&language=en&interim_results=true
//
// Encodings: linear16 (little-endian 16-bit PCM), float32 (little-endian
// IEEE float), mulaw, alaw. Channels are interleaved; each is its own
// track ("ch0", "ch1", ...). Control messages: {"type":"Finalize"} ends the
// utterance in progress, {"type":"KeepAlive"} keeps an idle stream open,
// {"type":"CloseStream"} ends the stream after its last finals.
package listen

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/codec"
)

// Encoding names a raw audio encoding of the query string.
type Encoding string

// Encodings /v1/raw accepts.
const (
	Linear16 Encoding = "linear16"
	Float32  Encoding = "float32"
	Mulaw    Encoding = "mulaw"
	Alaw     Encoding = "alaw"
)

// Params are a stream's query parameters.
type Params struct {
	Encoding Encoding
	// SampleRate is the client's rate in Hz; default bridge.SampleRate,
	// which needs no resampling.
	SampleRate int
	// Channels are interleaved; each is a track.
	Channels int
	// Language is the decode language ("" for the service default).
	Language string
	// Interim asks for partial transcripts (interim_results, default true).
	Interim bool
}

// maxChannels bounds the tracks one stream opens.
const maxChannels = 8

// ParseParams reads and checks the query string.
func ParseParams(q url.Values) (Params, error) {
	p := Params{Encoding: Linear16, SampleRate: bridge.SampleRate, Channels: 1, Interim: true, Language: q.Get("language")}
	if v := q.Get("encoding"); v != "" {
		p.Encoding = Encoding(strings.ToLower(v))
	}
	switch p.Encoding {
	case Linear16, Float32, Mulaw, Alaw:
	default:
		return p, fmt.Errorf("%w: encoding %q (linear16, float32, mulaw, alaw)", ErrBadParams, p.Encoding)
	}
	var err error
	if v := q.Get("sample_rate"); v != "" {
		if p.SampleRate, err = strconv.Atoi(v); err != nil || p.SampleRate < 8000 || p.SampleRate > 192000 {
			return p, fmt.Errorf("%w: sample_rate %q (8000..192000)", ErrBadParams, v)
		}
	}
	if v := q.Get("channels"); v != "" {
		if p.Channels, err = strconv.Atoi(v); err != nil || p.Channels < 1 || p.Channels > maxChannels {
			return p, fmt.Errorf("%w: channels %q (1..%d)", ErrBadParams, v, maxChannels)
		}
	}
	if v := q.Get("interim_results"); v != "" {
		if p.Interim, err = strconv.ParseBool(v); err != nil {
			return p, fmt.Errorf("%w: interim_results %q", ErrBadParams, v)
		}
	}
	if _, err := codec.NewResampler(p.SampleRate, bridge.SampleRate); err != nil {
		return p, fmt.Errorf("%w: sample_rate %d: %w", ErrBadParams, p.SampleRate, err)
	}
	return p, nil
}

// bytesPerSample is the size of one sample of one channel.
func (e Encoding) bytesPerSample() int {
	switch e {
	case Linear16:
		return 2
	case Float32:
		return 4
	}
	return 1
}

// decode appends src's samples (whole frames only) as float32.
func (e Encoding) decode(dst []float32, src []byte) []float32 {
	switch e {
	case Linear16:
		return codec.DecodeLinear16LE(dst, src)
	case Float32:
		return codec.DecodeFloat32LE(dst, src)
	case Mulaw:
		return codec.DecodeMulaw(dst, src)
	default:
		return codec.DecodeAlaw(dst, src)
	}
}
