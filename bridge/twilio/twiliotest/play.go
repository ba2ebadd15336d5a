package twiliotest

import (
	"context"
	"time"

	"github.com/callscribe/callscribe/bridge/twilio/wire"
)

// DefaultFrame is the audio each media message carries when Play is not told
// otherwise: 20 ms, what the platform sends.
const DefaultFrame = 20 * time.Millisecond

// TrackAudio is the whole audio of one track to play: μ-law bytes, one per
// sample, at the stream's sample rate.
type TrackAudio struct {
	Track wire.Track // the track to play on
	Audio []byte     // μ-law bytes, one per sample
}

// PlayOptions sets how Play paces the audio.
type PlayOptions struct {
	// Frame is the audio per media message; zero means DefaultFrame.
	Frame time.Duration
	// Speed is how many times faster than real time to play: zero or one
	// plays in real time, 10 ten times faster, +Inf without pausing (a
	// flood, as a broken or hostile client would send).
	Speed float64
}

// Play sends the tracks' audio as media messages, one frame of each track per
// step, from each track's current position. Steps are paced against the time
// Play started, not the previous step, so that slow writes do not make the
// stream drift behind real time. It returns ctx's error if ctx ends first.
// Play does not send start or stop.
func (c *Client) Play(ctx context.Context, opts PlayOptions, tracks ...TrackAudio) error {
	frame := opts.Frame
	if frame <= 0 {
		frame = DefaultFrame
	}
	speed := opts.Speed
	if !(speed > 0) { // also catches NaN
		speed = 1
	}
	rate := int64(c.enc.info.MediaFormat.SampleRate)
	perFrame := max(int(rate*int64(frame)/int64(time.Second)), 1)

	began := time.Now()
	for step := 0; ; step++ {
		sent := false
		for _, ta := range tracks {
			from := step * perFrame
			if from >= len(ta.Audio) {
				continue
			}
			if err := c.SendMedia(ta.Track, ta.Audio[from:min(from+perFrame, len(ta.Audio))]); err != nil {
				return err
			}
			sent = true
		}
		if !sent {
			return nil
		}
		due := began.Add(time.Duration(float64(step+1) * float64(frame) / speed))
		if err := sleepUntil(ctx, due); err != nil {
			return err
		}
	}
}

// sleepUntil waits until due or until ctx ends, whichever comes first. An
// ended ctx wins even when due has passed, so that cancelling stops Play at
// the next frame however late the goroutine runs.
func sleepUntil(ctx context.Context, due time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	wait := time.Until(due)
	if wait <= 0 {
		return nil
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
