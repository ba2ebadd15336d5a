package ogg

import (
	"fmt"
	"io"
)

// Config tunes a Demuxer. A zero field takes the default named in its
// comment.
type Config struct {
	// MaxPacket bounds one packet, which may span pages. Default 256 KiB,
	// four times the largest Opus packet (120 ms at the highest rate).
	MaxPacket int
}

// WithDefaults returns c with every zero field set to its default.
func (c Config) WithDefaults() Config {
	if c.MaxPacket == 0 {
		c.MaxPacket = 256 << 10
	}
	return c
}

// Validate reports what is wrong with c, wrapped in ErrBadConfig.
func (c Config) Validate() error {
	if c = c.WithDefaults(); c.MaxPacket < 1 || c.MaxPacket > 64<<20 {
		return fmt.Errorf("%w: MaxPacket %d must be 1 byte to 64 MiB", ErrBadConfig, c.MaxPacket)
	}
	return nil
}

// Demuxer turns the bytes of an Ogg stream, written in pieces of any size,
// into the packets of its first logical stream. It is not safe for
// concurrent use.
type Demuxer struct {
	cfg       Config
	buf       []byte // bytes written; those before off are consumed
	off       int
	cur       page // the page whose packets are being handed out
	seg       int  // its next segment
	at        int  // where that segment starts in cur.body
	started   bool
	serial    uint32 // the logical stream followed
	ended     bool   // its last page has been handed out
	skipFirst bool   // cur begins with the tail of a packet never seen
	partial   []byte // a packet begun on an earlier page
	err       error  // the failure that ended the stream
}

// New returns a Demuxer configured by cfg.
func New(cfg Config) (*Demuxer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Demuxer{cfg: cfg.WithDefaults()}, nil
}

// Write adds the next bytes of the stream. It keeps a copy: p may be
// reused once Write returns. Bytes written after a failure are dropped.
func (d *Demuxer) Write(p []byte) {
	if d.err == nil && !d.ended {
		d.buf = append(d.buf, p...)
	}
}

// Buffered returns how many written bytes wait for their page to complete
// or to be handed out.
func (d *Demuxer) Buffered() int { return len(d.buf) - d.off }

// Next returns the next packet of the stream followed. The packet is valid
// until the next call to Next or Write. It returns ErrNeedMore when the
// bytes written so far hold no further whole packet, io.EOF after the
// stream's last packet, and an error wrapping ErrCorrupt or ErrTooLarge
// for a stream it cannot read; after such an error it returns the same
// error again.
func (d *Demuxer) Next() ([]byte, error) {
	for d.err == nil {
		if d.seg < len(d.cur.lacing) {
			if pkt, ok := d.packet(); ok || d.err != nil {
				return pkt, d.err
			}
			continue
		}
		if d.cur.flags&flagLast != 0 && d.cur.serial == d.serial {
			d.ended, d.buf, d.off = true, nil, 0
		}
		if d.ended {
			return nil, io.EOF
		}
		if err := d.nextPage(); err != nil {
			return nil, err
		}
	}
	return nil, d.err
}

// nextPage makes the next whole page of the followed stream current.
func (d *Demuxer) nextPage() error {
	for {
		if d.off > len(d.buf)/2 { // drop what was consumed, amortised
			d.buf = append(d.buf[:0], d.buf[d.off:]...)
			d.off = 0
		}
		p, err := parsePage(d.buf[d.off:])
		if err == ErrNeedMore { //nolint:errorlint // ErrNeedMore is never wrapped
			return err
		}
		if err != nil {
			return d.fail(err)
		}
		d.off += p.size
		if !d.started {
			if p.flags&flagFirst == 0 {
				return d.fail(fmt.Errorf("%w: the stream does not begin with a first page", ErrCorrupt))
			}
			d.started, d.serial = true, p.serial
		}
		if p.serial != d.serial {
			continue // another logical stream beside ours
		}
		continued := p.flags&flagContinued != 0
		if !continued && len(d.partial) > 0 {
			return d.fail(fmt.Errorf("%w: a packet spanning pages was cut short", ErrCorrupt))
		}
		d.cur, d.seg, d.at = p, 0, 0
		// A continuation with nothing begun: the tail of a packet this
		// Demuxer never saw the start of, which it passes over.
		d.skipFirst = continued && len(d.partial) == 0
		return nil
	}
}

// packet reads the segments of the current page up to the end of a
// packet, or to the page's end; ok says a packet is complete.
func (d *Demuxer) packet() ([]byte, bool) {
	n, complete := 0, false
	for d.seg < len(d.cur.lacing) {
		l := int(d.cur.lacing[d.seg])
		d.seg++
		n += l
		if l < 255 {
			complete = true
			break
		}
	}
	data := d.cur.body[d.at : d.at+n]
	d.at += n
	if d.skipFirst {
		d.skipFirst = false
		return nil, false
	}
	if len(d.partial)+n > d.cfg.MaxPacket {
		d.err = d.fail(fmt.Errorf("%w: over %d bytes", ErrTooLarge, d.cfg.MaxPacket))
		return nil, false
	}
	if !complete {
		d.partial = append(d.partial, data...)
		return nil, false
	}
	if len(d.partial) > 0 {
		pkt := append(d.partial, data...)
		d.partial = pkt[:0]
		return pkt, true
	}
	return data, true
}

// fail makes err the Demuxer's lasting state and frees its buffers.
func (d *Demuxer) fail(err error) error {
	d.err, d.cur, d.seg = err, page{}, 0
	d.buf, d.off, d.partial = nil, 0, nil
	return err
}
