package jitter

import "slices"

// release sends held packets in sequence order. A packet that follows the
// released ones goes at once; a gap before one is waited on until Latency
// of audio or more than MaxHeld packets wait behind it (or a flush), then
// declared lost.
func (b *Buffer) release(flush bool) {
	for len(b.held) > 0 {
		h := b.held[0]
		if h.ext > b.next {
			if !flush && b.heldTicks < b.latency && len(b.held) <= b.maxHeld {
				return
			}
			b.stats.Lost += h.ext - b.next
			b.fill(h.extTS-b.base, Lost, h.p.Payload)
		}
		b.held = slices.Delete(b.held, 0, 1)
		b.heldTicks -= h.dur
		b.audio(h)
	}
}

// audio releases one packet, after the silence of a pause in the
// sender's timestamps.
func (b *Buffer) audio(h heldPacket) {
	b.fill(h.extTS-b.base, Silence, nil)
	b.out(Span{Kind: Audio, Start: h.extTS - b.base, Duration: h.dur, Payload: h.p.Payload, Seq: h.p.Seq, Timestamp: h.p.Timestamp})
	b.recent[h.ext&63] = h.ext
	b.next = h.ext + 1
}

// fill releases the time from the cursor to position to: concealment for
// a loss, up to MaxConceal of it, and silence for the rest. A gap longer
// than MaxGap is not filled: the anchoring moves so that to is the cursor,
// and the next span is marked Reset.
func (b *Buffer) fill(to int64, kind Kind, next []byte) {
	gap := to - b.cursor
	switch {
	case gap <= 0:
		return
	case gap > b.maxGP:
		b.base += gap
		b.reset = true
		b.stats.Resets++
		return
	}
	if kind == Lost {
		conceal := min(gap, b.maxConceal)
		if conceal < gap {
			next = nil // the packet after the loss is not next to what is concealed
		}
		b.out(Span{Kind: Lost, Start: b.cursor, Duration: conceal, Payload: next})
		gap -= conceal
	}
	if gap > 0 {
		b.out(Span{Kind: Silence, Start: b.cursor, Duration: gap})
	}
}

// out hands a span to the sink and moves the cursor past it.
func (b *Buffer) out(s Span) {
	if b.reset {
		s.Reset, b.reset = true, false
	}
	switch s.Kind {
	case Lost:
		b.stats.ConcealedTicks += s.Duration
	case Silence:
		b.stats.SilenceTicks += s.Duration
	}
	b.sink(s)
	b.cursor = max(b.cursor, s.End())
}
