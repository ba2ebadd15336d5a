// Package opus decodes Opus audio (RFC 6716) with libopus, Xiph's reference
// codec, for WebRTC calls; it also encodes, which only tests and benchmarks
// need. It is the one package of the codec tree that uses cgo: libopus comes
// from the Debian sysroot beside libwhisper (deploy/sysroot.lock), and the
// transports that take Opus use it through a small decoder interface, so
// they build and test without it.
//
// A Decoder turns one stream's packets into float32 samples at a fixed
// rate, mono (a stereo stream mixed down) or stereo interleaved. When packets are lost it conceals them
// (Conceal): libopus's packet-loss concealment extrapolates the last audio,
// and when the packet after the loss carries in-band forward error
// correction (LBRR, which WebRTC senders add with useinbandfec=1), the last
// lost frame is rebuilt from it instead.
//
// Like package codec, decoding appends to the caller's slice and allocates
// nothing once it has room. Neither Decoder nor Encoder is safe for
// concurrent use; each holds C memory until Close.
package opus
