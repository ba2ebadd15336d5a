package webm

import (
	"errors"
	"testing"
)

// FuzzDemuxer feeds arbitrary bytes, split at an arbitrary point, to a
// Demuxer with small bounds. It must never panic or hang, every failure
// must be a documented sentinel, no frame or track count may pass the
// bounds, and the Demuxer must hold no more than an element beyond the
// last write.
func FuzzDemuxer(f *testing.F) {
	data, _ := recording(f, 12)
	f.Add(data, uint16(100))
	f.Add(append(header, ebml(idSimpleBlock, []byte{0x81, 0, 0, 0x06, 3, 0x81, 0xC0, 0xBD, 'a', 'b', 'b', 'd'})...), uint16(9))
	f.Add(append(header, ebml(idSimpleBlock, []byte{0x81, 0, 0, 0x02, 3, 1, 2, 0, 'a', 'b', 'b', 'd'})...), uint16(30))
	f.Fuzz(func(t *testing.T, data []byte, split uint16) {
		const maxElement = 4096
		d, err := New(Config{MaxElement: maxElement, MaxTracks: 4})
		if err != nil {
			t.Fatal(err)
		}
		at := min(int(split), len(data))
		for _, part := range [][]byte{data[:at], data[at:]} {
			d.Write(part)
			for {
				fr, err := d.Next()
				if errors.Is(err, ErrNeedMore) {
					if d.Buffered() > len(part)+maxElement+16 {
						t.Fatalf("holds %d bytes", d.Buffered())
					}
					break
				}
				if err != nil {
					if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrTooLarge) {
						t.Fatalf("undocumented error %v", err)
					}
					return
				}
				if len(fr.Data) > maxElement || len(d.Tracks()) > 4 {
					t.Fatalf("frame of %d bytes, %d tracks", len(fr.Data), len(d.Tracks()))
				}
			}
		}
	})
}
