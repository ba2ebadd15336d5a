package webm

import "fmt"

// block splits a SimpleBlock's or Block's body into its frames: the track
// number, a 16-bit timestamp, flags, then one frame or several laced
// (Matroska's Xiph, fixed-size or EBML lacing).
func (d *Demuxer) block(b []byte) error {
	track, n, _, err := readVint(b, 8, false)
	if err != nil {
		return err
	}
	if n == 0 || len(b) < n+3 {
		return fmt.Errorf("%w: block of %d bytes", ErrCorrupt, len(b))
	}
	flags := b[n+2]
	b = b[n+3:]
	d.handed = 0
	lacing := flags >> 1 & 3
	if lacing == 0 {
		d.frames = append(d.frames[:0], Frame{Track: track, Data: b})
		return nil
	}
	if len(b) == 0 {
		return fmt.Errorf("%w: laced block without a frame count", ErrCorrupt)
	}
	count := int(b[0]) + 1
	b = b[1:]
	d.sizes = d.sizes[:0]
	switch lacing {
	case 1: // Xiph: each size a run of 255s and the byte ending it
		for range count - 1 {
			size := 0
			for {
				if len(b) == 0 {
					return fmt.Errorf("%w: Xiph lacing runs past the block", ErrCorrupt)
				}
				v := b[0]
				b = b[1:]
				size += int(v)
				if v < 255 {
					break
				}
			}
			d.sizes = append(d.sizes, size)
		}
	case 2: // fixed: the frames share the rest equally
		if len(b)%count != 0 {
			return fmt.Errorf("%w: %d bytes do not split into %d equal frames", ErrCorrupt, len(b), count)
		}
		for range count - 1 {
			d.sizes = append(d.sizes, len(b)/count)
		}
	case 3: // EBML: the first size, then signed differences
		var prev int64
		for i := range count - 1 {
			v, vn, _, err := readVint(b, 8, false)
			if err != nil {
				return err
			}
			if vn == 0 {
				return fmt.Errorf("%w: EBML lacing runs past the block", ErrCorrupt)
			}
			b = b[vn:]
			size := int64(v)
			if i > 0 {
				size = prev + int64(v) - (1<<(7*vn-1) - 1)
			}
			if size < 0 || size > int64(len(b)) {
				return fmt.Errorf("%w: laced frame of %d bytes", ErrCorrupt, size)
			}
			d.sizes = append(d.sizes, int(size))
			prev = size
		}
	}
	d.frames = d.frames[:0]
	for _, size := range d.sizes {
		if size > len(b) {
			return fmt.Errorf("%w: laced frames overrun the block", ErrCorrupt)
		}
		d.frames = append(d.frames, Frame{Track: track, Data: b[:size]})
		b = b[size:]
	}
	d.frames = append(d.frames, Frame{Track: track, Data: b})
	return nil
}
