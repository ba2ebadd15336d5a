// Package trackfeed carries one track's decoded audio to its
// bridge.TrackSink: resampled to bridge.SampleRate, written at positions
// in call time. Every transport has this step (Twilio after its
// timeline, /v1/listen per channel, WebRTC after Opus), so it lives here
// once.
package trackfeed

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/bits"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/codec"
)

// Feed resamples one track's audio to bridge.SampleRate and writes it to
// the track's sink, at the position (in bridge.SampleRate samples since the
// stream's first sample) where it belongs. It reuses its buffers: a warm
// Feed does not allocate per frame. It is not safe for concurrent use.
type Feed struct {
	sink      bridge.TrackSink
	resampler *codec.Resampler
	rate      int
	out       []float32
	next      int64 // position of the next sample written
	err       error // the sink's first failure: nothing is written after it
}

// New returns a Feed for audio at rate Hz into sink. It fails, wrapping
// codec's error, for a rate the resampler does not take.
func New(sink bridge.TrackSink, rate int) (*Feed, error) {
	r, err := codec.NewResampler(rate, bridge.SampleRate)
	if err != nil {
		return nil, fmt.Errorf("trackfeed: %w", err)
	}
	return &Feed{sink: sink, resampler: r, rate: rate}, nil
}

// Write feeds samples at the Feed's rate that follow the previous ones
// without a gap. It returns the sink's error, which every later Write
// returns too: a sink that failed gets nothing more.
func (f *Feed) Write(samples []float32) error {
	return f.write(f.resampler.Process(f.out[:0], samples))
}

// Skip restarts the track at pos, in samples at the Feed's rate since the
// stream's first sample, after a gap too long to fill with silence: the
// audio held in the resampler is flushed where it was, and positions stay
// in call time across the jump.
func (f *Feed) Skip(pos int64) error {
	err := f.write(f.resampler.Flush(f.out[:0]))
	f.next = scale(pos, bridge.SampleRate, int64(f.rate))
	return err
}

// Finalize asks the sink to end the utterance in progress now.
func (f *Feed) Finalize() error { return f.sink.Finalize() }

// FinalizeReport is Finalize that calls done with the utterance it ended
// (see bridge.FinalizeReporter). A sink that cannot tell answers "" at
// once.
func (f *Feed) FinalizeReport(done func(utteranceID string)) error {
	if r, ok := f.sink.(bridge.FinalizeReporter); ok {
		return r.FinalizeReport(done)
	}
	err := f.sink.Finalize()
	done("")
	return err
}

// Close flushes the audio held in the resampler and closes the sink, which
// returns once the track's last event was emitted or ctx ended.
func (f *Feed) Close(ctx context.Context) error {
	flushErr := f.write(f.resampler.Flush(f.out[:0]))
	return errors.Join(flushErr, f.sink.Close(ctx))
}

// Position returns where, in bridge.SampleRate samples since the stream's
// first sample, the next sample will be written.
func (f *Feed) Position() int64 { return f.next }

func (f *Feed) write(samples []float32) error {
	f.out = samples
	if f.err != nil || len(samples) == 0 {
		return f.err
	}
	if err := f.sink.Write(f.next, samples); err != nil {
		f.err = fmt.Errorf("track sink: %w", err)
	}
	f.next += int64(len(samples))
	return f.err
}

// scale returns pos*num/den, rounded down, saturating instead of
// overflowing for a hostile position.
func scale(pos, num, den int64) int64 {
	if pos <= 0 {
		return 0
	}
	hi, lo := bits.Mul64(uint64(pos), uint64(num))
	if hi >= uint64(den) {
		return math.MaxInt64
	}
	q, _ := bits.Div64(hi, lo, uint64(den))
	return int64(min(q, math.MaxInt64))
}
