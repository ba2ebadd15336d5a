package opus

/*
#include <opus/opus.h>

// opus_encoder_ctl is variadic, which cgo cannot call: one wrapper per
// setting used.
static int set_bitrate(OpusEncoder *e, opus_int32 v) { return opus_encoder_ctl(e, OPUS_SET_BITRATE(v)); }
static int set_fec(OpusEncoder *e, opus_int32 v) { return opus_encoder_ctl(e, OPUS_SET_INBAND_FEC(v)); }
static int set_loss(OpusEncoder *e, opus_int32 v) { return opus_encoder_ctl(e, OPUS_SET_PACKET_LOSS_PERC(v)); }
static int set_complexity(OpusEncoder *e, opus_int32 v) { return opus_encoder_ctl(e, OPUS_SET_COMPLEXITY(v)); }
*/
import "C"

import (
	"fmt"
	"unsafe"
)

// EncoderConfig describes an Encoder. A zero field takes the default named
// in its comment.
type EncoderConfig struct {
	// Rate is the input sample rate in Hz: 8000, 12000, 16000, 24000 or
	// 48000. Default 48000.
	Rate int
	// Bitrate in bits per second. Default 32000, what browsers send for
	// a voice.
	Bitrate int
	// FEC adds in-band forward error correction (LBRR) for the previous
	// frame to each packet, as WebRTC senders do with useinbandfec=1.
	FEC bool
	// LossPercent is the packet loss the encoder expects (0-100); with
	// FEC, it decides how much redundancy goes in.
	LossPercent int
	// Complexity is libopus's 0-10 speed/quality trade. Default 10.
	Complexity int
	// Channels is 1 (mono) or 2 (stereo, interleaved input). Default 1.
	Channels int
}

// Encoder encodes float32 samples (mono, or stereo interleaved) to Opus packets in the VoIP mode,
// the way a softphone or browser sends a voice. It serves tests and
// benchmarks: callscribe itself only decodes.
type Encoder struct {
	st       *C.OpusEncoder
	rate     int
	channels int
	out      []byte
}

// NewEncoder returns an Encoder configured by cfg.
func NewEncoder(cfg EncoderConfig) (*Encoder, error) {
	if cfg.Rate == 0 {
		cfg.Rate = 48000
	}
	if cfg.Bitrate == 0 {
		cfg.Bitrate = 32000
	}
	if cfg.Complexity == 0 {
		cfg.Complexity = 10
	}
	if cfg.Channels == 0 {
		cfg.Channels = 1
	}
	if cfg.Channels > 2 || cfg.Channels < 1 || !rates[cfg.Rate] || cfg.LossPercent < 0 || cfg.LossPercent > 100 || cfg.Complexity < 0 || cfg.Complexity > 10 {
		return nil, fmt.Errorf("%w: %+v", ErrBadConfig, cfg)
	}
	var code C.int
	st := C.opus_encoder_create(C.opus_int32(cfg.Rate), C.int(cfg.Channels), C.OPUS_APPLICATION_VOIP, &code)
	if code != C.OPUS_OK || st == nil {
		return nil, fmt.Errorf("%w: %s", ErrBadConfig, errorText(code))
	}
	e := &Encoder{st: st, rate: cfg.Rate, channels: cfg.Channels, out: make([]byte, 1500)}
	fec := 0
	if cfg.FEC {
		fec = 1
	}
	for _, code := range []C.int{
		C.set_bitrate(st, C.opus_int32(cfg.Bitrate)),
		C.set_fec(st, C.opus_int32(fec)),
		C.set_loss(st, C.opus_int32(cfg.LossPercent)),
		C.set_complexity(st, C.opus_int32(cfg.Complexity)),
	} {
		if code != C.OPUS_OK {
			_ = e.Close()
			return nil, fmt.Errorf("%w: %s", ErrBadConfig, errorText(code))
		}
	}
	return e, nil
}

// Encode appends one packet holding pcm, exactly one frame of 2.5, 5, 10,
// 20, 40 or 60 ms (per channel, interleaved), to dst.
func (e *Encoder) Encode(dst []byte, pcm []float32) ([]byte, error) {
	if e.st == nil {
		return dst, ErrClosed
	}
	ok := false
	for _, tenths := range []int{25, 50, 100, 200, 400, 600} {
		ok = ok || len(pcm) == e.channels*e.rate*tenths/10000
	}
	if !ok {
		return dst, fmt.Errorf("%w: %d samples at %d Hz", ErrBadFrame, len(pcm), e.rate)
	}
	n := C.opus_encode_float(e.st, (*C.float)(unsafe.Pointer(&pcm[0])), C.int(len(pcm)/e.channels),
		(*C.uchar)(unsafe.Pointer(&e.out[0])), C.opus_int32(len(e.out)))
	if n < 0 {
		return dst, fmt.Errorf("opus: encode: %s", errorText(C.int(n)))
	}
	return append(dst, e.out[:n]...), nil
}

// Close frees the encoder's C memory. It is safe to call more than once.
func (e *Encoder) Close() error {
	if e.st != nil {
		C.opus_encoder_destroy(e.st)
		e.st = nil
	}
	return nil
}
