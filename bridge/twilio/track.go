package twilio

import (
	"context"
	"fmt"
	"time"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/timeline"
	"github.com/callscribe/callscribe/codec"
)

// trackPath carries one track's audio from media payloads to the sink: the
// timeline places mu-law bytes by timestamp, then they are decoded and
// resampled from 8 to 16 kHz. It reuses its buffers: no allocation per
// frame once warm.
type trackPath struct {
	line      *timeline.Timeline[byte]
	resampler *codec.Resampler
	sink      bridge.TrackSink
	narrow    []float32
	wide      []float32
	// next is the 16 kHz position of the next resampled sample.
	next int64
	err  error
}

const mulawRate = 8000

func newTrackPath(sink bridge.TrackSink, jitter time.Duration) (*trackPath, error) {
	r, err := codec.NewResampler(mulawRate, bridge.SampleRate)
	if err != nil {
		return nil, err
	}
	p := &trackPath{resampler: r, sink: sink}
	// 0xFF is mu-law silence.
	p.line, err = timeline.New(timeline.Config[byte]{SampleRate: mulawRate, Jitter: jitter, Silence: 0xFF}, p.chunk)
	if err != nil {
		return nil, err
	}
	return p, nil
}

// push places one media payload; it returns the sink's error, if any.
func (p *trackPath) push(timestampMS int64, payload []byte, stats *ServerStats) error {
	switch p.line.Push(timestampMS, payload) {
	case timeline.Duplicate:
		stats.Duplicates.Add(1)
	case timeline.Late:
		stats.Late.Add(1)
	case timeline.Reordered:
		stats.Reordered.Add(1)
	}
	return p.err
}

// chunk receives the timeline's contiguous audio.
func (p *trackPath) chunk(c timeline.Chunk[byte]) {
	if p.err != nil {
		return
	}
	if c.Skipped > 0 {
		// A gap too long to fill: finish the resampler's tail where it was
		// and restart it at the chunk, keeping positions in call time.
		p.write(p.resampler.Flush(p.wide[:0]))
		p.next = 2 * c.Start
	}
	p.narrow = codec.DecodeMulaw(p.narrow[:0], c.Samples)
	p.write(p.resampler.Process(p.wide[:0], p.narrow))
}

func (p *trackPath) write(samples []float32) {
	p.wide = samples
	if len(samples) == 0 || p.err != nil {
		return
	}
	if err := p.sink.Write(p.next, samples); err != nil {
		p.err = fmt.Errorf("track sink: %w", err)
	}
	p.next += int64(len(samples))
}

// close releases the audio still held and ends the sink, waiting for the
// track's last final.
func (p *trackPath) close(ctx context.Context) error {
	p.line.Flush()
	p.write(p.resampler.Flush(p.wide[:0]))
	return p.sink.Close(ctx)
}
