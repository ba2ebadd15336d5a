package ggmlconv

import (
	"encoding/binary"
	"fmt"
	"io"
)

// cursor reads a little-endian file front to back through an io.ReaderAt.
// It keeps a small window of the file so that the tens of thousands of tiny
// header and vocabulary fields cost few system calls, while skip jumps over
// tensor data without reading it: walking a 150 MB model touches only its
// headers.
type cursor struct {
	r      io.ReaderAt
	size   int64  // total length of r
	off    int64  // position of the next read
	win    []byte // file bytes starting at winOff
	winOff int64
	buf    []byte // backing array of win
}

const cursorWindow = 64 << 10

func newCursor(r io.ReaderAt, size int64) *cursor {
	return &cursor{r: r, size: size, buf: make([]byte, cursorWindow)}
}

// remaining is the number of bytes after the cursor.
func (c *cursor) remaining() int64 { return c.size - c.off }

// bytes returns the next n bytes, valid until the next call. It fails with
// ErrTruncated when the file ends first.
func (c *cursor) bytes(n int64) ([]byte, error) {
	if n < 0 || n > c.remaining() {
		return nil, fmt.Errorf("%w: need %d bytes at offset %d, file has %d", ErrTruncated, n, c.off, c.size)
	}
	start := c.off - c.winOff
	if c.off < c.winOff || start+n > int64(len(c.win)) {
		if n > int64(len(c.buf)) {
			c.buf = make([]byte, n)
		}
		m, err := c.r.ReadAt(c.buf, c.off)
		if int64(m) < n {
			if err == nil || err == io.EOF {
				err = ErrTruncated
			}
			return nil, fmt.Errorf("read at offset %d: %w", c.off, err)
		}
		c.win, c.winOff, start = c.buf[:m], c.off, 0
	}
	c.off += n
	return c.win[start : start+n], nil
}

// skip moves the cursor n bytes forward without reading them.
func (c *cursor) skip(n int64) error {
	if n < 0 || n > c.remaining() {
		return fmt.Errorf("%w: %d bytes announced at offset %d, file has %d", ErrTruncated, n, c.off, c.size)
	}
	c.off += n
	return nil
}

func (c *cursor) u8() (uint8, error) {
	b, err := c.bytes(1)
	if err != nil {
		return 0, err
	}
	return b[0], nil
}

func (c *cursor) u16() (uint16, error) {
	b, err := c.bytes(2)
	if err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint16(b), nil
}

func (c *cursor) u32() (uint32, error) {
	b, err := c.bytes(4)
	if err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint32(b), nil
}

func (c *cursor) i32() (int32, error) {
	v, err := c.u32()
	return int32(v), err
}
