package jitter

import (
	"cmp"
	"slices"
)

// Buffer orders one RTP stream and releases its timeline as Spans to a
// sink. It is not safe for concurrent use, and the sink must not call back
// into it.
type Buffer struct {
	sink                       func(Span)
	latency, maxConceal, maxGP int64 // in ticks
	maxHeld                    int
	maxDropout, maxMisorder    int64

	started   bool
	next      int64 // extended sequence number expected next
	top       int64 // highest extended sequence number accepted
	topTS     int64 // extended timestamp of the packet at top
	base      int64 // extended timestamp at position 0
	cursor    int64 // where the released spans end
	lastDur   int64 // the last known packet length
	newest    int64 // highest extended sequence number pushed
	held      []heldPacket
	heldTicks int64
	reset     bool // the next span released starts a new anchoring
	recent    [64]int64
	probe     *Packet
	stats     Stats
}

// heldPacket is a packet waiting behind a gap.
type heldPacket struct {
	ext, extTS, dur int64
	p               Packet
}

// New returns an empty Buffer that releases spans to sink.
func New(cfg Config, sink func(Span)) (*Buffer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.WithDefaults()
	b := &Buffer{
		sink:       sink,
		latency:    ticks(cfg.Latency, cfg.ClockRate),
		maxConceal: ticks(cfg.MaxConceal, cfg.ClockRate),
		maxGP:      ticks(cfg.MaxGap, cfg.ClockRate),
		maxHeld:    cfg.MaxHeld,
		maxDropout: int64(cfg.MaxDropout), maxMisorder: int64(cfg.MaxMisorder),
		lastDur: max(ticks(cfg.FrameDuration, cfg.ClockRate), 1),
	}
	for i := range b.recent {
		b.recent[i] = -1
	}
	return b, nil
}

// Push takes one packet and releases whatever it makes certain.
func (b *Buffer) Push(p Packet) Outcome {
	b.stats.Packets++
	if !b.started {
		b.started = true
		b.anchor(p, int64(p.Seq))
		return InOrder
	}
	if pr := b.probe; pr != nil {
		b.probe = nil
		if step := int64(int32(p.Timestamp - pr.Timestamp)); p.Seq == pr.Seq+1 && step >= 0 && step <= b.maxGP {
			b.restart(*pr)
		} else {
			b.stats.Strays++
		}
	}
	ext := b.top + int64(int16(p.Seq-uint16(b.top)))
	extTS := b.topTS + int64(int32(p.Timestamp-uint32(b.topTS)))
	delta := ext - b.next
	expected := b.cursor + delta*b.lastDur
	if pos := extTS - b.base; delta > b.maxDropout || delta < -b.maxMisorder || pos > expected+b.maxGP || pos < expected-b.maxGP {
		cp := p
		b.probe = &cp
		return Probation
	}
	if delta < 0 {
		if b.recent[ext&63] == ext {
			b.stats.Duplicates++
			return Duplicate
		}
		b.stats.Late++
		return Late
	}
	at, found := slices.BinarySearchFunc(b.held, ext, func(h heldPacket, e int64) int { return cmp.Compare(h.ext, e) })
	if found {
		b.stats.Duplicates++
		return Duplicate
	}
	outcome := InOrder
	if ext < b.newest {
		outcome = Reordered
		b.stats.Reordered++
	}
	b.newest = max(b.newest, ext)
	if ext > b.top {
		b.top, b.topTS = ext, extTS
	}
	b.hold(at, heldPacket{ext: ext, extTS: extTS, dur: b.duration(p), p: p})
	b.release(false)
	return outcome
}

// Flush releases every packet held, concealing the gaps before them, as at
// the end of the stream or once the sender went quiet. A packet on
// probation is dropped as a stray. The buffer stays usable.
func (b *Buffer) Flush() {
	if b.probe != nil {
		b.probe = nil
		b.stats.Strays++
	}
	b.release(true)
}

// Held returns the number of packets waiting behind a gap.
func (b *Buffer) Held() int { return len(b.held) }

// End returns the position just after the last span released.
func (b *Buffer) End() int64 { return b.cursor }

// Stats returns the counts so far.
func (b *Buffer) Stats() Stats { return b.stats }

// anchor starts the stream at p, numbered ext: its timestamp becomes the
// current end of the released audio (position 0 for the first packet).
func (b *Buffer) anchor(p Packet, ext int64) {
	extTS := int64(p.Timestamp)
	b.next, b.top, b.newest, b.topTS, b.base = ext, ext, ext, extTS, extTS-b.cursor
	for i := range b.recent {
		b.recent[i] = -1
	}
	b.hold(0, heldPacket{ext: ext, extTS: extTS, dur: b.duration(p), p: p})
	b.release(false)
}

// restart releases what the old stream held and anchors the new one at p.
func (b *Buffer) restart(p Packet) {
	b.release(true)
	b.stats.Resets++
	b.reset = true
	// The new stream is numbered above the old one, so that nothing
	// remembered of the old one matches.
	b.anchor(p, int64(p.Seq)+(b.top>>16+2)<<16)
}

// duration is p's length in ticks, remembering it for packets of unknown
// length.
func (b *Buffer) duration(p Packet) int64 {
	if p.Duration > 0 {
		b.lastDur = int64(p.Duration)
	}
	return b.lastDur
}

func (b *Buffer) hold(at int, h heldPacket) {
	b.held = slices.Insert(b.held, at, h)
	b.heldTicks += h.dur
	b.stats.MaxHeld = max(b.stats.MaxHeld, len(b.held))
}
