// Package webm reads the audio frames of a WebM (Matroska) stream as its
// bytes arrive, in pieces of any size. It is written for what browsers'
// MediaRecorder produces and what live clients send: a Segment and
// Clusters of unknown size, one Opus track, SimpleBlocks, each cluster cut
// wherever the socket's writes fell.
//
// The Demuxer does not build the element tree. It walks the stream as a
// flat run of elements: it steps into the few masters whose children it
// needs (Segment, Tracks, TrackEntry, Audio, Cluster, BlockGroup), reads
// the few leaves it uses (a track's number, type, codec, private data,
// channels, rate and delay; SimpleBlock and Block), and passes over every
// other element by its size without holding its bytes, so Cues, Tags or
// a video track cost nothing. Matroska's element IDs are unique across
// its schema, so a flat walk cannot take one element for another; the
// one thing it gives up is knowing where an unknown-size Cluster ends,
// which it does not need.
//
// The input is untrusted: an element it reads is at most
// Config.MaxElement bytes, a stream has at most Config.MaxTracks tracks,
// the Demuxer holds at most one element beyond what the caller wrote, and
// it never panics on any input.
package webm
