package twilio

import (
	"context"
	"time"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/timeline"
	"github.com/callscribe/callscribe/bridge/trackfeed"
	"github.com/callscribe/callscribe/bridge/twilio/wire"
	"github.com/callscribe/callscribe/codec"
)

// trackPath carries one track's audio from media payloads to the sink: the
// timeline places mu-law bytes by timestamp, then they are decoded and fed
// (resampled from 8 to 16 kHz) to the track. It reuses its buffers: no
// allocation per frame once warm.
type trackPath struct {
	line   *timeline.Timeline[byte]
	feed   *trackfeed.Feed
	narrow []float32
	err    error // the feed's first failure
}

// muLawSilence is the mu-law byte of a zero sample, for gaps.
const muLawSilence = 0xFF

func newTrackPath(sink bridge.TrackSink, jitter time.Duration) (*trackPath, error) {
	feed, err := trackfeed.New(sink, wire.MuLawSampleRate)
	if err != nil {
		return nil, err
	}
	p := &trackPath{feed: feed}
	p.line, err = timeline.New(timeline.Config[byte]{SampleRate: wire.MuLawSampleRate, Jitter: jitter, Silence: muLawSilence}, p.chunk)
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
		// A gap too long to fill: positions jump with it, in call time.
		if p.err = p.feed.Skip(c.Start); p.err != nil {
			return
		}
	}
	p.narrow = codec.DecodeMulaw(p.narrow[:0], c.Samples)
	p.err = p.feed.Write(p.narrow)
}

// close releases the audio still held and ends the track, waiting for its
// last final.
func (p *trackPath) close(ctx context.Context) error {
	p.line.Flush()
	return p.feed.Close(ctx)
}
