package rtpaudio

import "github.com/callscribe/callscribe/codec"

// Decoder turns one track's payloads into mono float32 samples at the
// codec's RTP clock rate. codec/opus's Decoder is one, for Opus.
type Decoder interface {
	// Decode appends one payload's samples to dst. On error dst is
	// returned as it was and the packet is concealed as lost.
	Decode(dst []float32, payload []byte) ([]float32, error)
	// Conceal appends samples (a whole number of 2.5 ms) standing in for
	// lost audio; next, when not nil, is the packet after the loss, whose
	// in-band FEC a decoder may use.
	Conceal(dst []float32, samples int, next []byte) ([]float32, error)
	// Close frees the decoder.
	Close() error
}

// NewMulaw returns a Decoder for G.711 mu-law (RTP payload type 0, PCMU,
// 8000 Hz). Losses are concealed with silence.
func NewMulaw() Decoder { return g711{codec.DecodeMulaw} }

// NewAlaw returns a Decoder for G.711 A-law (RTP payload type 8, PCMA,
// 8000 Hz). Losses are concealed with silence.
func NewAlaw() Decoder { return g711{codec.DecodeAlaw} }

type g711 struct {
	decode func(dst []float32, src []byte) []float32
}

func (g g711) Decode(dst []float32, payload []byte) ([]float32, error) {
	return g.decode(dst, payload), nil
}

func (g711) Conceal(dst []float32, samples int, _ []byte) ([]float32, error) {
	return appendZeros(dst, samples), nil
}

func (g711) Close() error { return nil }

// G711Duration is the length, in 8 kHz ticks, of a G.711 payload: a
// sample per byte.
func G711Duration(payload []byte) int { return len(payload) }

// appendZeros appends n zero samples to dst.
func appendZeros(dst []float32, n int) []float32 {
	for range n {
		dst = append(dst, 0)
	}
	return dst
}
