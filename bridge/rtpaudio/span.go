package rtpaudio

import "github.com/callscribe/callscribe/bridge/jitter"

// span turns one span of the jitter buffer into samples at their call-time
// position.
func (t *Track) span(s jitter.Span) {
	if t.err != nil {
		return
	}
	if s.Reset {
		// The sender restarted: place it so that the packet being pushed
		// lands at its arrival, never back over the audio written.
		t.stats.Jumps++
		arrival := t.ticks(t.at)
		if s.Kind == jitter.Audio {
			arrival -= int64(int32(t.atTS - s.Timestamp))
		}
		pos := max(t.end, t.offset+s.Start, arrival)
		t.offset = pos - s.Start
		if pos > t.end {
			t.end = pos
			t.fail(t.feed.Skip(pos))
		}
	}
	pos := t.offset + s.Start
	if pos > t.end {
		// Decoded lengths fell short of the timestamps: fill up.
		t.silence(pos - t.end)
	}
	var err error
	switch s.Kind {
	case jitter.Audio:
		if t.pcm, err = t.dec.Decode(t.pcm[:0], s.Payload); err != nil {
			t.stats.BadPayloads++
			t.pcm = t.conceal(s.Duration, nil)
		}
	case jitter.Lost:
		t.pcm = t.conceal(s.Duration, s.Payload)
	case jitter.Silence:
		t.silence(s.End() + t.offset - t.end)
		return
	}
	if cut := t.end - pos; cut > 0 {
		// Overlapping timestamps: keep only what is new.
		t.pcm = t.pcm[min(cut, int64(len(t.pcm))):]
	}
	t.write(t.pcm)
}

// conceal returns n samples standing in for lost audio: the decoder's
// concealment for the whole 2.5 ms units, silence for the rest.
func (t *Track) conceal(n int64, next []byte) []float32 {
	whole := int(n) - int(n)%t.step
	pcm, err := t.dec.Conceal(t.pcm[:0], whole, next)
	if err != nil {
		pcm = pcm[:0]
	}
	return appendZeros(pcm, int(n)-len(pcm))
}

// silence writes n zero samples.
func (t *Track) silence(n int64) {
	for n > 0 && t.err == nil {
		k := min(n, int64(len(t.zeros)))
		t.write(t.zeros[:k])
		n -= k
	}
}

func (t *Track) write(pcm []float32) {
	if len(pcm) == 0 {
		return
	}
	t.fail(t.feed.Write(pcm))
	t.end += int64(len(pcm))
}
