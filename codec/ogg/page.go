package ogg

import (
	"encoding/binary"
	"fmt"
)

// Page header layout (RFC 3533, section 6).
const (
	headerLen = 27 // up to and including the segment count
	// MaxPageSize is the largest page: its header, 255 lacing values and
	// 255 segments of 255 bytes.
	MaxPageSize = headerLen + 255 + 255*255

	flagContinued = 0x01 // the first packet continues one from the page before
	flagFirst     = 0x02 // beginning of a logical stream
	flagLast      = 0x04 // end of a logical stream
)

// page is one parsed page; its slices point into the Demuxer's buffer.
type page struct {
	flags   byte
	granule int64
	serial  uint32
	lacing  []byte // the segment table
	body    []byte
	size    int // bytes the whole page takes
}

// parsePage reads the page at the start of b: ErrNeedMore when b ends
// inside it, ErrCorrupt when it is none.
func parsePage(b []byte) (page, error) {
	var p page
	if len(b) < headerLen {
		if !isPrefix(b, "OggS") {
			return p, fmt.Errorf("%w: no page starts here (% x)", ErrCorrupt, b[:min(len(b), 4)])
		}
		return p, ErrNeedMore
	}
	if string(b[:4]) != "OggS" {
		return p, fmt.Errorf("%w: no page starts here (% x)", ErrCorrupt, b[:4])
	}
	if b[4] != 0 {
		return p, fmt.Errorf("%w: page version %d", ErrCorrupt, b[4])
	}
	segments := int(b[26])
	if len(b) < headerLen+segments {
		return p, ErrNeedMore
	}
	p.lacing = b[headerLen : headerLen+segments]
	bodyLen := 0
	for _, l := range p.lacing {
		bodyLen += int(l)
	}
	p.size = headerLen + segments + bodyLen
	if len(b) < p.size {
		return p, ErrNeedMore
	}
	want := binary.LittleEndian.Uint32(b[22:])
	c := crcUpdate(0, b[:22])
	c = crcUpdate(c, []byte{0, 0, 0, 0})
	if c = crcUpdate(c, b[26:p.size]); c != want {
		return p, fmt.Errorf("%w: page CRC %08x, computed %08x", ErrCorrupt, want, c)
	}
	p.flags = b[5]
	p.granule = int64(binary.LittleEndian.Uint64(b[6:]))
	p.serial = binary.LittleEndian.Uint32(b[14:])
	p.body = b[headerLen+segments : p.size]
	return p, nil
}

// isPrefix reports whether b is a prefix of s (or s of b).
func isPrefix(b []byte, s string) bool {
	n := min(len(b), len(s))
	return string(b[:n]) == s[:n]
}
