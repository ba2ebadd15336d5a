package ogg

import (
	"errors"
	"io"
	"testing"
)

// FuzzDemuxer feeds arbitrary bytes, split at an arbitrary point, to a
// Demuxer with a small packet bound. It must never panic or hang, every
// failure must be a documented sentinel, no packet may exceed the bound,
// and the Demuxer must hold no more than a page beyond the last write.
func FuzzDemuxer(f *testing.F) {
	f.Add(stream(f, packets(6), 0), uint16(10))
	f.Add(stream(f, [][]byte{{1}, {2, 3}, make([]byte, 600)}, 300), uint16(40))
	f.Add([]byte("OggS\x00\x02"), uint16(3))
	f.Fuzz(func(t *testing.T, data []byte, split uint16) {
		d, err := New(Config{MaxPacket: 4096})
		if err != nil {
			t.Fatal(err)
		}
		at := min(int(split), len(data))
		for _, part := range [][]byte{data[:at], data[at:]} {
			d.Write(part)
			for {
				p, err := d.Next()
				if errors.Is(err, ErrNeedMore) {
					if d.Buffered() > len(part)+MaxPageSize {
						t.Fatalf("holds %d bytes", d.Buffered())
					}
					break
				}
				if err != nil {
					if !errors.Is(err, io.EOF) && !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrTooLarge) {
						t.Fatalf("undocumented error %v", err)
					}
					return
				}
				if len(p) > 4096 {
					t.Fatalf("packet of %d bytes", len(p))
				}
			}
		}
	})
}
