package rtpaudio

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/jitter"
	"github.com/callscribe/callscribe/bridge/timeline"
	"github.com/callscribe/callscribe/bridge/trackfeed"
)

// Packet is one RTP packet of the track.
type Packet struct {
	Seq       uint16
	Timestamp uint32
	// Payload is kept until the packet is decoded: the caller must not
	// change it after Push.
	Payload []byte
	// At is when the packet arrived, counted from the call's first audio
	// packet (of any track): it places the track's first sample in call
	// time, and the rate guard compares media with it.
	At time.Duration
}

// Stats counts what a track saw.
type Stats struct {
	jitter.Stats
	// BadPayloads counts packets the decoder refused (concealed instead).
	BadPayloads int64
	// Jumps counts restarts placed by arrival time.
	Jumps int64
}

// Track carries one RTP audio track to its sink. Its buffers are reused: a
// warm Track allocates nothing per packet but what the sink keeps. It is
// not safe for concurrent use.
type Track struct {
	buf      *jitter.Buffer
	dec      Decoder
	feed     *trackfeed.Feed
	guard    *timeline.RateGuard
	duration func([]byte) int
	rate     int64
	step     int // samples in 2.5 ms, the unit of concealment

	started bool
	offset  int64         // sink position (at rate) of jitter position 0
	end     int64         // sink position of the next sample
	at      time.Duration // arrival of the packet being pushed
	atTS    uint32        // and its timestamp
	pcm     []float32
	zeros   []float32
	err     error
	stats   Stats
}

// New returns a Track decoding with dec into sink. The Track owns dec and
// closes it with the track.
func New(cfg Config, dec Decoder, sink bridge.TrackSink) (*Track, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	feed, err := trackfeed.New(sink, cfg.ClockRate)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadConfig, err)
	}
	t := &Track{dec: dec, feed: feed, guard: timeline.NewRateGuard(cfg.RateGuard), duration: cfg.Duration,
		rate: int64(cfg.ClockRate), step: cfg.ClockRate / 400, zeros: make([]float32, cfg.ClockRate)}
	cfg.Jitter.ClockRate = cfg.ClockRate
	if t.buf, err = jitter.New(cfg.Jitter, t.span); err != nil {
		return nil, err
	}
	return t, nil
}

// Push takes one packet. It returns an error wrapping ErrTooFast when media
// runs ahead of real time, or ErrSink once the sink failed; the track takes
// nothing after either.
func (t *Track) Push(p Packet) error {
	if t.err != nil {
		return t.err
	}
	t.at, t.atTS = p.At, p.Timestamp
	if !t.started {
		// The track starts where the call is when its first packet
		// arrives.
		t.started = true
		t.offset = t.ticks(p.At)
		t.end = t.offset
		if t.offset > 0 {
			t.fail(t.feed.Skip(t.offset))
		}
	}
	var dur uint32
	if t.duration != nil {
		dur = uint32(max(t.duration(p.Payload), 0))
	}
	t.buf.Push(jitter.Packet{Seq: p.Seq, Timestamp: p.Timestamp, Duration: dur, Payload: p.Payload})
	if t.err == nil {
		media := time.Duration(t.end) * time.Second / time.Duration(t.rate)
		if err := t.guard.Observe(time.Time{}.Add(p.At), media); err != nil {
			t.err = fmt.Errorf("%w: %w", ErrTooFast, err)
		}
	}
	return t.err
}

// Idle releases the packets waiting behind a gap, concealing it: the
// caller's clock says the sender went quiet, so the missing packets will
// not come.
func (t *Track) Idle() { t.buf.Flush() }

// Finalize asks the sink to end the utterance in progress now.
func (t *Track) Finalize() error { return t.feed.Finalize() }

// Close releases what waits, closes the decoder and the sink, and returns
// once the track's last event was emitted or ctx ended.
func (t *Track) Close(ctx context.Context) error {
	t.buf.Flush()
	return errors.Join(t.dec.Close(), t.feed.Close(ctx))
}

// End returns the call time the track's audio reached.
func (t *Track) End() time.Duration {
	return time.Duration(t.end) * time.Second / time.Duration(t.rate)
}

// Stats returns the counts so far.
func (t *Track) Stats() Stats {
	s := t.stats
	s.Stats = t.buf.Stats()
	return s
}

func (t *Track) ticks(d time.Duration) int64 {
	return int64(max(d, 0)/time.Microsecond) * t.rate / 1_000_000
}

func (t *Track) fail(err error) {
	if err != nil && t.err == nil {
		t.err = fmt.Errorf("%w: %w", ErrSink, err)
	}
}
