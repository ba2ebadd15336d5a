// Package ogg reads the packets of an Ogg stream (RFC 3533) as its bytes
// arrive, in pieces of any size: a live client sends pages cut wherever its
// socket writes fell, so a page, and a packet spanning pages, may straddle
// any number of writes.
//
// A Demuxer follows one logical stream, the first to begin (the first page
// must open it), and passes over the pages of any other stream multiplexed
// beside it. Every page's CRC is checked; a page that does not start with
// the capture pattern or fails its CRC is an error, not something to resync
// past: the input is a client's stream, and a corrupt one is refused.
//
// The input is untrusted: a page is at most 65,307 bytes by construction,
// a packet at most Config.MaxPacket, and the Demuxer holds at most one page
// beyond what the caller wrote. It never panics on any input.
//
// Writer writes Ogg pages, for tests and tools that need a stream to read.
package ogg
