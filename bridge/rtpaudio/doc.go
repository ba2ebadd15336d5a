// Package rtpaudio carries one RTP audio track into a bridge.TrackSink:
// the jitter buffer (package jitter) puts packets back in order and says
// what was lost, a Decoder turns payloads into samples and conceals the
// losses, and trackfeed resamples to 16 kHz and writes at call-time
// positions. It is what a WebRTC track (or any RTP source) needs between
// the socket and the transcriber, with no socket, codec library or clock
// of its own, so it builds and tests without cgo.
//
// Times are the RTP clock's: a track's first packet is placed at its
// arrival (Packet.At, measured by the caller from the call's first audio),
// and every later sample by its timestamp, so loss, reordering and network
// jitter never move an utterance. Only a restart of the sender's stream
// (jitter.Span.Reset) is placed by arrival again, never earlier than the
// audio already written.
//
// G.711 decoders are here (NewMulaw, NewAlaw); Opus comes from the caller
// (package codec/opus through a factory), so that this package needs no C
// library. OpusDuration reads an Opus packet's length from its table of
// contents (RFC 6716, section 3.1) for the jitter buffer.
package rtpaudio
