// Package webrtc is callscribe's WebRTC door: WHIP (WebRTC-HTTP Ingestion
// Protocol, RFC 9725) on pion/webrtc v4, for browser agents and
// softphones. A client POSTs an SDP offer; each audio track of its peer
// connection becomes a track of a new call (bridge.Calls.Start, Source
// "webrtc"), transcribed like every other call, and the call's events
// come back on a data channel named DataChannelLabel ("transcripts") as
// the same JSON as everywhere, besides /v1/calls/{id}/events and the
// webhooks. DELETE on the session URL ends it.
//
// The transport only moves audio: package rtpaudio carries each track
// through the jitter buffer (package jitter: order by RTP sequence number,
// place by RTP timestamp, conceal losses), the decoder (G.711 here; Opus
// through Config.NewOpusDecoder, libopus in package codec/opus, so this
// package needs no cgo) and the resampler to the track's sink.
//
// pion is wrapped once (peer): its callbacks become channels, so a
// session is one select loop (loop) that owns the session's state: tracks
// bound as they arrive, packets placed, the data channel adopted or
// opened, limits checked on a tick. One reader goroutine per track hands
// packets to the loop through a bounded queue (a full queue drops the
// packet and counts it: the jitter buffer conceals it); one writer
// goroutine forwards the call's events to the data channel. Both end with
// the session, whose finish (last finals, stream end, events flushed,
// connection closed) runs whatever ended it: DELETE, the peer leaving or
// vanishing (ICE failed after Config.ICEFailedTimeout), a limit, or
// Shutdown.
package webrtc
