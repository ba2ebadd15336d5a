package opus

/*
#cgo LDFLAGS: -lopus
#include <opus/opus.h>
*/
import "C"

import (
	"fmt"
	"unsafe"
)

// Rates libopus decodes to and encodes from, in Hz.
var rates = map[int]bool{8000: true, 12000: true, 16000: true, 24000: true, 48000: true}

// maxPacketMS is the longest audio one Opus packet carries, in ms.
const maxPacketMS = 120

// Decoder decodes one Opus stream to float32 samples, mono or stereo
// interleaved.
type Decoder struct {
	st       *C.OpusDecoder
	rate     int
	channels int
}

// NewDecoder returns a Decoder producing mono samples at rate Hz (8000,
// 12000, 16000, 24000 or 48000; WebRTC's Opus runs at 48000). A stereo
// stream is mixed down.
func NewDecoder(rate int) (*Decoder, error) { return NewDecoderChannels(rate, 1) }

// NewDecoderChannels returns a Decoder producing channels (1 or 2)
// channels at rate Hz, interleaved: a stereo stream's two, a mono stream's
// one twice, or, for 1, any stream mixed down.
func NewDecoderChannels(rate, channels int) (*Decoder, error) {
	if !rates[rate] || channels < 1 || channels > 2 {
		return nil, fmt.Errorf("%w: rate %d Hz, %d channels", ErrBadConfig, rate, channels)
	}
	var code C.int
	st := C.opus_decoder_create(C.opus_int32(rate), C.int(channels), &code)
	if code != C.OPUS_OK || st == nil {
		return nil, fmt.Errorf("%w: %s", ErrBadConfig, errorText(code))
	}
	return &Decoder{st: st, rate: rate, channels: channels}, nil
}

// Channels returns how many channels each sample frame of the decoded
// audio holds.
func (d *Decoder) Channels() int { return d.channels }

// Rate returns the sample rate of the decoded audio, in Hz.
func (d *Decoder) Rate() int { return d.rate }

// Decode appends the samples of one packet to dst, interleaved when
// stereo. A packet libopus
// rejects leaves dst as it was and returns an error wrapping
// ErrInvalidPacket; the caller conceals it as lost.
func (d *Decoder) Decode(dst []float32, packet []byte) ([]float32, error) {
	if d.st == nil {
		return dst, ErrClosed
	}
	if len(packet) == 0 {
		return dst, fmt.Errorf("%w: empty", ErrInvalidPacket)
	}
	return d.decode(dst, packet, d.rate*maxPacketMS/1000, false)
}

// Conceal appends samples (per channel) standing in for lost audio: libopus's
// packet-loss concealment, except that when next (the packet after the
// loss, or nil) carries in-band FEC, its redundant copy rebuilds the last
// lost frame. samples must be a whole number of 2.5 ms; the caller then
// decodes next with Decode as usual.
func (d *Decoder) Conceal(dst []float32, samples int, next []byte) ([]float32, error) {
	if d.st == nil {
		return dst, ErrClosed
	}
	step := d.rate / 400 // 2.5 ms
	if samples < 0 || samples%step != 0 {
		return dst, fmt.Errorf("%w: %d samples to conceal at %d Hz", ErrBadFrame, samples, d.rate)
	}
	fec := 0
	if HasFEC(next) {
		if n, err := PacketSamples(next, d.rate); err == nil && n <= samples {
			fec = n
		}
	}
	// PLC in pieces of at most one packet's length, then the FEC frame.
	var err error
	for plc := samples - fec; plc > 0 && err == nil; {
		n := min(plc, d.rate*maxPacketMS/1000)
		dst, err = d.decode(dst, nil, n, false)
		plc -= n
	}
	if fec > 0 && err == nil {
		dst, err = d.decode(dst, next, fec, true)
	}
	return dst, err
}

// decode runs opus_decode_float into dst's spare capacity: frame is the
// room given (a whole packet's worth for Decode) or, for loss, exactly the
// samples to produce.
func (d *Decoder) decode(dst []float32, packet []byte, frame int, fec bool) ([]float32, error) {
	n := len(dst)
	dst = grow(dst, frame*d.channels)
	var data *C.uchar
	if len(packet) > 0 {
		data = (*C.uchar)(unsafe.Pointer(&packet[0]))
	}
	flag := C.int(0)
	if fec {
		flag = 1
	}
	got := C.opus_decode_float(d.st, data, C.opus_int32(len(packet)), (*C.float)(unsafe.Pointer(&dst[n])), C.int(frame), flag)
	if got < 0 {
		return dst[:n], fmt.Errorf("%w: %s", ErrInvalidPacket, errorText(got))
	}
	return dst[:n+int(got)*d.channels], nil
}

// Close frees the decoder's C memory. It is safe to call more than once.
func (d *Decoder) Close() error {
	if d.st != nil {
		C.opus_decoder_destroy(d.st)
		d.st = nil
	}
	return nil
}

// PacketSamples returns how many samples per channel packet holds at rate
// Hz, from its table of contents, or an error wrapping ErrInvalidPacket.
func PacketSamples(packet []byte, rate int) (int, error) {
	if len(packet) == 0 {
		return 0, fmt.Errorf("%w: empty", ErrInvalidPacket)
	}
	n := C.opus_packet_get_nb_samples((*C.uchar)(unsafe.Pointer(&packet[0])), C.opus_int32(len(packet)), C.opus_int32(rate))
	if n < 0 {
		return 0, fmt.Errorf("%w: %s", ErrInvalidPacket, errorText(n))
	}
	return int(n), nil
}

// HasFEC reports whether packet carries in-band FEC (LBRR) for the packet
// before it.
func HasFEC(packet []byte) bool {
	return len(packet) > 0 && C.opus_packet_has_lbrr((*C.uchar)(unsafe.Pointer(&packet[0])), C.opus_int32(len(packet))) == 1
}

// grow returns s with room for n more elements beyond its length.
func grow(s []float32, n int) []float32 {
	if cap(s)-len(s) >= n {
		return s[:len(s)+n]
	}
	out := make([]float32, len(s)+n, 2*len(s)+n)
	copy(out, s)
	return out
}

// errorText is libopus's message for an error code.
func errorText(code C.int) string { return C.GoString(C.opus_strerror(code)) }
