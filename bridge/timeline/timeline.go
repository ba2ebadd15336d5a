package timeline

import (
	"math"
	"slices"
)

// Chunk is a run of contiguous samples released by a Timeline.
type Chunk[S any] struct {
	// Start is the position of Samples[0] in samples since the stream
	// started: call time, whatever the arrival order was.
	Start int64
	// Samples are valid only during the sink call; the sink must copy what
	// it keeps and must not modify them.
	Samples []S
	// Silence marks a chunk that fills a gap rather than carrying audio.
	Silence bool
	// Skipped is the length of a gap longer than MaxGap that was left
	// unfilled just before this chunk. Start is always the previous chunk's
	// end plus Skipped, so positions stay in call time across the jump.
	Skipped int64
}

// End returns the position just after the chunk's last sample.
func (c Chunk[S]) End() int64 { return c.Start + int64(len(c.Samples)) }

// heldFrame is a frame waiting behind a gap, with its own copy of the
// samples.
type heldFrame[S any] struct {
	start   int64
	samples []S
}

func (f heldFrame[S]) end() int64 { return f.start + int64(len(f.samples)) }

// Timeline places the frames of one track by timestamp and releases them, in
// order and without gaps, to a sink. It is not safe for concurrent use, and
// the sink must not call back into it.
type Timeline[S any] struct {
	sink    func(Chunk[S])
	silence S
	rate    int64
	// slop is how far, in samples, a frame may start from where the
	// previous one ended and still continue it: timestamps have
	// millisecond resolution, so a frame whose length is not a whole
	// number of milliseconds starts up to a millisecond of samples away
	// from where its predecessor ended.
	slop          int64
	jitter        int64 // samples of audio that may wait behind a gap
	maxHeld       int
	maxGap        int64
	maxTimestamp  int64 // in ms: larger ones would overflow positions
	rememberAudio int64 // how far back duplicates are still recognised

	cursor      int64 // position of the next sample to release
	skipped     int64 // unfilled gap not yet reported on a chunk
	held        []heldFrame[S]
	heldSamples int64
	newest      int64 // greatest start kept so far; -1 before any
	recent      recentAudio
	silenceBuf  []S
	spare       [][]S // sample buffers of released frames, for reuse
	stats       Stats
}

// New returns an empty timeline that releases chunks to sink.
func New[S any](cfg Config[S], sink func(Chunk[S])) (*Timeline[S], error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.WithDefaults()
	rate := int64(cfg.SampleRate)
	jitter := samples(cfg.Jitter, rate)
	return &Timeline[S]{
		sink:          sink,
		silence:       cfg.Silence,
		rate:          rate,
		slop:          (rate+999)/1000 - 1,
		jitter:        jitter,
		maxHeld:       cfg.MaxHeldFrames,
		maxGap:        samples(cfg.MaxGap, rate),
		maxTimestamp:  math.MaxInt64 / 2 / rate,
		rememberAudio: max(2*jitter, rate),
		newest:        -1,
	}, nil
}

// Push adds one frame whose first sample is timestampMS milliseconds after
// the stream started, and releases whatever it makes certain. A frame that
// starts less than a millisecond from where the released audio ends is taken
// to continue it, since the timestamp cannot say better. The timeline copies
// samples it has to hold, so the caller may reuse them at once.
func (t *Timeline[S]) Push(timestampMS int64, samples []S) Outcome {
	t.stats.Frames++
	if len(samples) == 0 {
		t.stats.Empty++
		return Empty
	}
	if timestampMS < 0 || timestampMS > t.maxTimestamp {
		t.stats.Invalid++
		return Invalid
	}
	start := timestampMS * t.rate / 1000
	end := start + int64(len(samples))
	if start < t.cursor-t.slop || end <= t.cursor {
		if t.recent.clashes(start, end, t.slop) {
			t.stats.Duplicates++
			return Duplicate
		}
		t.stats.Late++
		return Late
	}
	at, clash := t.heldIndex(start, end)
	if clash {
		t.stats.Duplicates++
		return Duplicate
	}
	outcome := InOrder
	if start < t.newest {
		t.stats.Reordered++
		outcome = Reordered
	}
	t.newest = max(t.newest, start)
	if start <= t.cursor+t.slop {
		// The frame continues the released audio, so it comes before
		// anything held: release it straight from the caller's slice,
		// then whatever it unblocked.
		t.releaseAudio(start, samples)
	} else {
		t.hold(at, start, samples)
	}
	t.release(false)
	return outcome
}

// Flush releases every held frame, filling the gaps before them, as at the
// end of a stream. The timeline stays usable.
func (t *Timeline[S]) Flush() { t.release(true) }

// End returns the position just after the last released sample: the length
// of the track released so far, in samples.
func (t *Timeline[S]) End() int64 { return t.cursor }

// Held returns the number of frames waiting behind a gap.
func (t *Timeline[S]) Held() int { return len(t.held) }

// Stats returns the counts so far.
func (t *Timeline[S]) Stats() Stats { return t.stats }

// heldIndex returns where a frame goes among the held ones, and whether it
// clashes with a neighbour there.
func (t *Timeline[S]) heldIndex(start, end int64) (int, bool) {
	at, _ := slices.BinarySearchFunc(t.held, start, func(f heldFrame[S], s int64) int {
		return cmpInt(f.start, s)
	})
	if at > 0 && clash(t.held[at-1].start, t.held[at-1].end(), start, end, t.slop) {
		return at, true
	}
	if at < len(t.held) && clash(t.held[at].start, t.held[at].end(), start, end, t.slop) {
		return at, true
	}
	return at, false
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// clash reports whether two spans overlap by more than rounding explains:
// by more than slop samples, or with one inside the other.
func clash(aStart, aEnd, bStart, bEnd, slop int64) bool {
	overlap := min(aEnd, bEnd) - max(aStart, bStart)
	return overlap > 0 && (overlap > slop || overlap == aEnd-aStart || overlap == bEnd-bStart)
}
