package jitter

import (
	"encoding/binary"
	"testing"
)

// FuzzBuffer pushes arbitrary packets: the buffer never panics, never holds
// more than MaxHeld+1 packets, and its spans run forward: each starts where
// the previous ended, except an Audio span overlapping it (the sender's
// timestamps overlap) or a Reset one.
func FuzzBuffer(f *testing.F) {
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 3, 192, 0, 3, 0, 0, 11, 64})
	f.Add([]byte{255, 255, 255, 255, 252, 64, 0, 0, 0, 0, 0, 0, 0, 9, 0, 1, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		b, r := newBuffer(t, Config{MaxHeld: 8})
		for len(data) >= 6 {
			p := Packet{Seq: binary.BigEndian.Uint16(data), Timestamp: binary.BigEndian.Uint32(data[2:]), Duration: uint32(data[0]) * 8}
			data = data[6:]
			b.Push(p)
			if b.Held() > 9 {
				t.Fatalf("%d packets held", b.Held())
			}
		}
		b.Flush()
		if b.Held() != 0 {
			t.Fatalf("%d packets held after Flush", b.Held())
		}
		var end int64
		for i, s := range r.spans {
			if i > 0 && s.Start != end && !s.Reset && !(s.Kind == Audio && s.Start < end) {
				t.Fatalf("span %d (%v) starts at %d, the previous ended at %d", i, s.Kind, s.Start, end)
			}
			if s.Duration < 0 || (s.Kind != Audio && s.Duration == 0) {
				t.Fatalf("span %d: %+v", i, s)
			}
			end = max(end, s.End())
		}
	})
}
