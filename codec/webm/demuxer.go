package webm

import (
	"encoding/binary"
	"fmt"
	"math"
)

// Config tunes a Demuxer. A zero field takes the default named in its
// comment.
type Config struct {
	// MaxElement bounds an element the Demuxer reads whole: a block, or a
	// codec's private data. Default 1 MiB (an Opus block holds a few
	// hundred bytes; MediaRecorder writes one frame a block).
	MaxElement int
	// MaxTracks bounds the tracks a stream declares. Default 64.
	MaxTracks int
}

// WithDefaults returns c with every zero field set to its default.
func (c Config) WithDefaults() Config {
	if c.MaxElement == 0 {
		c.MaxElement = 1 << 20
	}
	if c.MaxTracks == 0 {
		c.MaxTracks = 64
	}
	return c
}

// Validate reports what is wrong with c, wrapped in ErrBadConfig.
func (c Config) Validate() error {
	c = c.WithDefaults()
	if c.MaxElement < 16 || c.MaxElement > 64<<20 || c.MaxTracks < 1 || c.MaxTracks > 1024 {
		return fmt.Errorf("%w: MaxElement %d (16 B to 64 MiB), MaxTracks %d (1 to 1024)", ErrBadConfig, c.MaxElement, c.MaxTracks)
	}
	return nil
}

// Track is what a stream's TrackEntry says of one track.
type Track struct {
	Number       uint64
	Type         uint64 // 1 video, 2 audio
	CodecID      string // "A_OPUS", "A_VORBIS", ...
	CodecPrivate []byte // for Opus, its identification header ("OpusHead")
	CodecDelay   uint64 // nanoseconds to drop from the decoded start
	Channels     int
	SampleRate   float64
}

// TrackTypeAudio is Track.Type of an audio track.
const TrackTypeAudio = 2

// Frame is one frame of a block: the track it belongs to and its bytes.
type Frame struct {
	Track uint64
	Data  []byte
}

// Demuxer turns the bytes of a WebM stream, written in pieces of any size,
// into its tracks and the frames of its blocks. It is not safe for
// concurrent use.
type Demuxer struct {
	cfg     Config
	buf     []byte // bytes written; those before off are consumed
	off     int
	started bool
	skip    int64 // bytes of an element passed over still to come
	tracks  []Track
	inEntry bool    // a TrackEntry is open: its fields go to the last track
	frames  []Frame // frames of the last block
	handed  int     // of which this many were handed out
	sizes   []int   // scratch: a block's laced frame sizes
	err     error
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
	if d.err == nil {
		d.buf = append(d.buf, p...)
	}
}

// Buffered returns how many written bytes wait for their element to
// complete or to be handed out.
func (d *Demuxer) Buffered() int { return len(d.buf) - d.off }

// Tracks returns the tracks declared so far. They are all declared before
// the first frame: Matroska puts Tracks before any Cluster.
func (d *Demuxer) Tracks() []Track { return d.tracks }

// Next returns the next frame of any track. Its Data is valid until the
// next call to Next or Write. It returns ErrNeedMore when the bytes
// written so far hold no further whole block, and an error wrapping
// ErrCorrupt or ErrTooLarge for a stream it cannot read; after such an
// error it returns the same error again. WebM has no end marker: the
// stream ends when its bytes do.
func (d *Demuxer) Next() (Frame, error) {
	for d.err == nil {
		if d.handed < len(d.frames) {
			d.handed++
			return d.frames[d.handed-1], nil
		}
		if err := d.step(); err != nil {
			return Frame{}, err
		}
	}
	return Frame{}, d.err
}

// step consumes one element header, or an element read whole, or bytes of
// an element passed over.
func (d *Demuxer) step() error {
	if d.off > len(d.buf)/2 { // drop what was consumed, amortised
		d.buf = append(d.buf[:0], d.buf[d.off:]...)
		d.off = 0
	}
	b := d.buf[d.off:]
	if d.skip > 0 {
		n := int(min(d.skip, int64(len(b))))
		if n == 0 {
			return ErrNeedMore
		}
		d.skip -= int64(n)
		d.off += n
		return nil
	}
	id, size, n, err := readHeader(b)
	if err != nil {
		return d.fail(err)
	}
	if n == 0 {
		return ErrNeedMore
	}
	if !d.started {
		if id != idEBML {
			return d.fail(fmt.Errorf("%w: the stream does not begin with an EBML header (element %#x)", ErrCorrupt, id))
		}
		d.started = true
	}
	switch id {
	case idSegment, idTracks, idAudio, idCluster, idBlockGroup:
		d.off += n // step inside
		return nil
	case idTrackEntry:
		if len(d.tracks) == d.cfg.MaxTracks {
			return d.fail(fmt.Errorf("%w: over %d tracks", ErrTooLarge, d.cfg.MaxTracks))
		}
		d.tracks = append(d.tracks, Track{})
		d.inEntry = true
		d.off += n
		return nil
	case idTrackNumber, idTrackType, idCodecID, idCodecPrivate, idCodecDelay, idSamplingFreq, idChannels, idSimpleBlock, idBlock:
	default:
		if size == unknownSize {
			return d.fail(fmt.Errorf("%w: element %#x of unknown size", ErrCorrupt, id))
		}
		d.off += n
		d.skip = size
		return nil
	}
	if size == unknownSize || size > int64(d.cfg.MaxElement) {
		return d.fail(fmt.Errorf("%w: element %#x of %d bytes (at most %d)", ErrTooLarge, id, size, d.cfg.MaxElement))
	}
	if int64(len(b)) < int64(n)+size {
		return ErrNeedMore
	}
	body := b[n : n+int(size)]
	d.off += n + int(size)
	if id == idSimpleBlock || id == idBlock {
		d.inEntry = false
		err = d.block(body)
	} else {
		err = d.field(id, body)
	}
	if err != nil {
		return d.fail(err)
	}
	return nil
}

// field stores a TrackEntry's field in the track being declared.
func (d *Demuxer) field(id uint64, body []byte) error {
	if !d.inEntry {
		return nil // no track open: not where Matroska puts it
	}
	t := &d.tracks[len(d.tracks)-1]
	var err error
	switch id {
	case idTrackNumber:
		t.Number, err = readUint(body)
	case idTrackType:
		t.Type, err = readUint(body)
	case idCodecDelay:
		t.CodecDelay, err = readUint(body)
	case idChannels:
		var v uint64
		v, err = readUint(body)
		t.Channels = int(min(v, math.MaxInt32))
	case idCodecID:
		t.CodecID = string(body)
	case idCodecPrivate:
		t.CodecPrivate = append([]byte(nil), body...)
	case idSamplingFreq:
		switch len(body) {
		case 4:
			t.SampleRate = float64(math.Float32frombits(binary.BigEndian.Uint32(body)))
		case 8:
			t.SampleRate = math.Float64frombits(binary.BigEndian.Uint64(body))
		default:
			err = fmt.Errorf("%w: a float of %d bytes", ErrCorrupt, len(body))
		}
	}
	return err
}

// fail makes err the Demuxer's lasting state and frees its buffers.
func (d *Demuxer) fail(err error) error {
	d.err, d.buf, d.off, d.frames = err, nil, 0, nil
	return err
}
