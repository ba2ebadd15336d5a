package timeline

import (
	"fmt"
	"math"
	"math/bits"
	"time"

	"github.com/callscribe/callscribe/bridge/config"
)

// Defaults applied to a zero field of Config.
const (
	// DefaultJitter is how much audio may wait behind a gap: 100 ms, five
	// 20 ms frames, covers the reordering a healthy network causes
	// without adding noticeable delay.
	DefaultJitter = 100 * time.Millisecond
	// DefaultMaxHeldFrames bounds the frames waiting behind a gap whatever
	// their size, so that tiny frames cannot make the wait long.
	DefaultMaxHeldFrames = 5
	// DefaultMaxGap is the longest silence one gap is filled with. A longer
	// jump of the timestamps is reported rather than filled, so that one
	// wild timestamp cannot make the timeline emit hours of silence.
	DefaultMaxGap = 10 * time.Second
)

// Config describes a timeline. S is the sample type: float32 or int16 for
// PCM, byte for μ-law.
type Config[S any] struct {
	// SampleRate is in samples per second. Required.
	SampleRate int
	// Jitter is how much audio may wait behind a gap for the frame that
	// fills it. Once that much has arrived after the gap, the gap is given
	// up on and filled with silence. Zero means DefaultJitter.
	Jitter time.Duration
	// MaxHeldFrames is how many frames may wait behind a gap, whatever
	// their length. Zero means DefaultMaxHeldFrames.
	MaxHeldFrames int
	// MaxGap caps the silence filled into one gap. Zero means
	// DefaultMaxGap.
	MaxGap time.Duration
	// Silence is the sample a gap is filled with: the zero value for PCM,
	// 0xFF for μ-law bytes.
	Silence S
}

// samples converts a non-negative duration to a whole number of samples at
// rate, without overflowing for any duration.
func samples(d time.Duration, rate int64) int64 {
	hi, lo := bits.Mul64(uint64(d), uint64(rate))
	if hi >= uint64(time.Second) {
		return math.MaxInt64
	}
	n, _ := bits.Div64(hi, lo, uint64(time.Second))
	return int64(min(n, math.MaxInt64))
}

// WithDefaults returns c with every zero field set to its default.
func (c Config[S]) WithDefaults() Config[S] {
	config.Default(&c.Jitter, DefaultJitter)
	config.Default(&c.MaxHeldFrames, DefaultMaxHeldFrames)
	config.Default(&c.MaxGap, DefaultMaxGap)
	return c
}

// Validate reports what is wrong with c once defaults are applied,
// wrapping ErrBadConfig.
func (c Config[S]) Validate() error {
	c = c.WithDefaults()
	switch {
	case c.SampleRate <= 0:
		return fmt.Errorf("%w: sample rate %d", ErrBadConfig, c.SampleRate)
	case c.Jitter < 0 || c.MaxHeldFrames < 0 || c.MaxGap < 0:
		return fmt.Errorf("%w: negative jitter, held frames or gap", ErrBadConfig)
	case samples(c.MaxGap, int64(c.SampleRate)) < 1:
		return fmt.Errorf("%w: max gap %v is under one sample", ErrBadConfig, c.MaxGap)
	}
	return nil
}
