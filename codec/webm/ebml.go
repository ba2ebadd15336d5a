package webm

import (
	"fmt"
	"math/bits"
)

// Element IDs (Matroska, RFC 9559), with their length marker kept as the
// specification writes them.
const (
	idEBML         = 0x1A45DFA3
	idSegment      = 0x18538067
	idTracks       = 0x1654AE6B
	idTrackEntry   = 0xAE
	idTrackNumber  = 0xD7
	idTrackType    = 0x83
	idCodecID      = 0x86
	idCodecPrivate = 0x63A2
	idCodecDelay   = 0x56AA
	idAudio        = 0xE1
	idSamplingFreq = 0xB5
	idChannels     = 0x9F
	idCluster      = 0x1F43B675
	idBlockGroup   = 0xA0
	idBlock        = 0xA1
	idSimpleBlock  = 0xA3
)

// unknownSize marks an element whose size its header leaves open (a live
// recorder's Segment and Clusters).
const unknownSize = -1

// readVint reads an EBML variable-length integer at the start of b: its
// value with the length marker removed (or kept, for IDs), and its length
// in bytes. n is 0 when b ends inside it; an error wraps ErrCorrupt.
func readVint(b []byte, maxLen int, keepMarker bool) (v uint64, n int, allOnes bool, err error) {
	if len(b) == 0 {
		return 0, 0, false, nil
	}
	n = bits.LeadingZeros8(b[0]) + 1
	if n > maxLen {
		return 0, 0, false, fmt.Errorf("%w: variable-length integer of %d bytes (first byte %#02x)", ErrCorrupt, n, b[0])
	}
	if len(b) < n {
		return 0, 0, false, nil
	}
	v = uint64(b[0])
	if !keepMarker {
		v &^= 0x80 >> (n - 1)
	}
	for _, c := range b[1:n] {
		v = v<<8 | uint64(c)
	}
	allOnes = v == 1<<(7*n)-1
	return v, n, allOnes, nil
}

// readHeader reads an element's ID and size at the start of b; n is 0 when
// b ends inside the header.
func readHeader(b []byte) (id uint64, size int64, n int, err error) {
	id, idLen, _, err := readVint(b, 4, true)
	if err != nil || idLen == 0 {
		return 0, 0, 0, err
	}
	s, sizeLen, unknown, err := readVint(b[idLen:], 8, false)
	if err != nil || sizeLen == 0 {
		return 0, 0, 0, err
	}
	switch {
	case unknown:
		size = unknownSize
	case s > 1<<53: // no stream is this long; keeps sums of sizes far from overflow
		return 0, 0, 0, fmt.Errorf("%w: element %#x of %d bytes", ErrCorrupt, id, s)
	default:
		size = int64(s)
	}
	return id, size, idLen + sizeLen, nil
}

// readUint reads an unsigned integer element's value.
func readUint(b []byte) (uint64, error) {
	if len(b) > 8 {
		return 0, fmt.Errorf("%w: unsigned integer of %d bytes", ErrCorrupt, len(b))
	}
	var v uint64
	for _, c := range b {
		v = v<<8 | uint64(c)
	}
	return v, nil
}
