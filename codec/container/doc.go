// Package container tells audio formats apart by their first bytes and
// decodes the compressed ones callscribe takes: Opus in Ogg or WebM, live
// or whole, and MP3 and FLAC files.
//
//   - [Sniff] names a format from its magic bytes: WAV, Ogg, WebM, MP3,
//     FLAC, and the ones only recognised to be refused by name (MP4/M4A,
//     AAC, AMR, AIFF, CAF, ASF/WMA).
//   - [OpusAudio] decodes Opus from an Ogg or WebM stream as its bytes
//     arrive, in pieces of any size (packages codec/ogg and codec/webm
//     demux): the identification header gives the channels, the pre-skip
//     is dropped, the output gain applied.
//   - [Decode] turns a whole file of any of them into a codec.Audio at the
//     rate asked for, channels apart or mixed, within a maximum duration
//     (a few compressed bytes can stand for hours of silence).
//
// Opus decoding itself is libopus, in the cgo package codec/opus; this
// package takes it as an [OpusDecoder] made by a factory, so that it and
// everything importing it build without cgo. MP3 is decoded by
// github.com/hajimehoshi/go-mp3, FLAC by github.com/mewkiz/flac, both pure
// Go; a panic inside either on hostile input is turned into ErrCorrupt.
package container
