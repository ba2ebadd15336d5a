package ogg

import (
	"encoding/binary"
	"io"
)

// Writer writes one logical Ogg stream: packets gathered into pages, a
// packet too long for the room left spanning pages. It serves tests and
// tools; callscribe itself only reads Ogg. It is not safe for concurrent
// use.
type Writer struct {
	w        io.Writer
	serial   uint32
	seq      uint32
	started  bool
	lacing   []byte
	body     []byte
	granule  int64 // of the last packet completed on the pending page; -1 for none
	pageBody int   // bytes after which a page is flushed
	cont     bool  // the pending page begins with the rest of a packet
}

// NewWriter returns a Writer of the logical stream serial to w. A page is
// written once it holds pageBytes of packet data (0: every packet ends its
// page), or when Flush or Close says so.
func NewWriter(w io.Writer, serial uint32, pageBytes int) *Writer {
	return &Writer{w: w, serial: serial, granule: -1, pageBody: pageBytes}
}

// WritePacket adds one packet; granule is the stream's position at its
// end (for Opus, 48 kHz samples including the pre-skip).
func (w *Writer) WritePacket(pkt []byte, granule int64) error {
	for {
		room := 255 - len(w.lacing)
		whole := len(pkt) / 255
		if whole < room { // the packet ends on this page
			for range whole {
				w.lacing = append(w.lacing, 255)
			}
			w.lacing = append(w.lacing, byte(len(pkt)%255))
			w.body = append(w.body, pkt...)
			w.granule = granule
			if len(w.body) >= w.pageBody || len(w.lacing) == 255 {
				return w.page(0)
			}
			return nil
		}
		for range room {
			w.lacing = append(w.lacing, 255)
		}
		w.body = append(w.body, pkt[:255*room]...)
		pkt = pkt[255*room:]
		if err := w.page(0); err != nil {
			return err
		}
		w.cont = true
	}
}

// Flush writes the pending packets as a page.
func (w *Writer) Flush() error {
	if len(w.lacing) == 0 {
		return nil
	}
	return w.page(0)
}

// Close writes the pending packets, or an empty page, as the stream's
// last page.
func (w *Writer) Close() error { return w.page(flagLast) }

// page writes the pending segments as one page.
func (w *Writer) page(flags byte) error {
	if w.cont {
		flags |= flagContinued
		w.cont = false
	}
	if !w.started {
		flags |= flagFirst
		w.started = true
	}
	h := make([]byte, headerLen, headerLen+len(w.lacing)+len(w.body))
	copy(h, "OggS")
	h[5] = flags
	binary.LittleEndian.PutUint64(h[6:], uint64(w.granule))
	binary.LittleEndian.PutUint32(h[14:], w.serial)
	binary.LittleEndian.PutUint32(h[18:], w.seq)
	h[26] = byte(len(w.lacing))
	h = append(append(h, w.lacing...), w.body...)
	binary.LittleEndian.PutUint32(h[22:], crcUpdate(0, h))
	w.seq++
	w.lacing, w.body, w.granule = w.lacing[:0], w.body[:0], -1
	_, err := w.w.Write(h)
	return err
}
