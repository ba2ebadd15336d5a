package timeline

import "slices"

// hold keeps a copy of a frame at index at among the held frames.
func (t *Timeline[S]) hold(at int, start int64, samples []S) {
	var buf []S
	if n := len(t.spare); n > 0 && cap(t.spare[n-1]) >= len(samples) {
		buf, t.spare = t.spare[n-1][:len(samples)], t.spare[:n-1]
	} else {
		buf = make([]S, len(samples))
	}
	copy(buf, samples)
	t.held = slices.Insert(t.held, at, heldFrame[S]{start: start, samples: buf})
	t.heldSamples += int64(len(samples))
	t.stats.MaxHeld = max(t.stats.MaxHeld, len(t.held))
}

// release sends held frames to the sink in position order. A frame that
// continues the released audio goes at once; a gap before one is waited on
// until Jitter of audio or more than MaxHeldFrames frames wait behind it, or
// until a flush, and then filled.
func (t *Timeline[S]) release(flush bool) {
	for len(t.held) > 0 {
		f := t.held[0]
		if f.start > t.cursor+t.slop {
			waiting := t.heldSamples < t.jitter && len(t.held) <= t.maxHeld
			if waiting && !flush {
				return
			}
			t.fillGap(f.start)
		}
		t.held = slices.Delete(t.held, 0, 1)
		t.heldSamples -= int64(len(f.samples))
		t.releaseAudio(f.start, f.samples)
		if len(t.spare) <= t.maxHeld {
			t.spare = append(t.spare, f.samples[:0])
		}
	}
}

// releaseAudio sends a frame that starts at, or within slop of, the cursor.
func (t *Timeline[S]) releaseAudio(start int64, samples []S) {
	if start < t.cursor-t.slop {
		// Rounding drift let this frame overlap audio already out: keep
		// only its new part.
		cut := min(t.cursor-start, int64(len(samples)))
		t.stats.TrimmedSamples += cut
		samples = samples[cut:]
		if len(samples) == 0 {
			return
		}
	}
	n := int64(len(samples))
	t.recent.add(t.cursor, t.cursor+n)
	t.emit(samples, false)
	t.stats.AudioSamples += n
	t.recent.forget(t.cursor - t.rememberAudio)
}

// fillGap releases silence from the cursor up to position to, at most
// MaxGap of it; the rest of a longer gap is skipped and reported on the next
// chunk.
func (t *Timeline[S]) fillGap(to int64) {
	gap := to - t.cursor
	fill := min(gap, t.maxGap)
	t.stats.Gaps++
	t.stats.GapSamples += fill
	for fill > 0 {
		n := min(fill, t.rate) // at most a second per chunk
		t.emit(t.silenceOf(n), true)
		fill -= n
	}
	if skip := to - t.cursor; skip > 0 {
		t.stats.CappedGaps++
		t.stats.SkippedSamples += skip
		t.skipped += skip
		t.cursor = to
	}
}

// emit hands one chunk at the cursor to the sink and advances the cursor.
func (t *Timeline[S]) emit(samples []S, silence bool) {
	t.sink(Chunk[S]{Start: t.cursor, Samples: samples, Silence: silence, Skipped: t.skipped})
	t.skipped = 0
	t.cursor += int64(len(samples))
}

// silenceOf returns n silent samples from a buffer shared by all gaps.
func (t *Timeline[S]) silenceOf(n int64) []S {
	if int64(len(t.silenceBuf)) < n {
		t.silenceBuf = make([]S, n)
		for i := range t.silenceBuf {
			t.silenceBuf[i] = t.silence
		}
	}
	return t.silenceBuf[:n]
}
