package jitter

// Packet is one RTP packet of the stream, as the buffer needs it.
type Packet struct {
	Seq       uint16
	Timestamp uint32
	// Duration is the audio the payload carries, in clock ticks; zero when
	// unknown (the last known length, or Config.FrameDuration, is used).
	Duration uint32
	// Payload is kept, not copied, until the packet is released: the
	// caller must not change it after Push.
	Payload []byte
}

// Kind says what a Span holds.
type Kind uint8

// The kinds of span.
const (
	// Audio is a packet to decode.
	Audio Kind = iota + 1
	// Lost is audio that was sent and never came: conceal it.
	Lost
	// Silence is time the sender sent nothing for (discontinuous
	// transmission, a pause), or the part of a long loss past MaxConceal.
	Silence
)

func (k Kind) String() string {
	switch k {
	case Audio:
		return "audio"
	case Lost:
		return "lost"
	case Silence:
		return "silence"
	}
	return "invalid"
}

// Span is a stretch of the stream's timeline, released in order. Spans
// follow each other without gaps, except that an Audio span may start
// before the previous span's end when the sender's timestamps overlap (the
// caller keeps the new part), and a Reset span starts a new anchoring.
type Span struct {
	Kind Kind
	// Start is the span's position in clock ticks since the first
	// packet's timestamp: the RTP clock's time, whatever the arrival order.
	Start int64
	// Duration is in clock ticks; for Audio, the packet's Duration (or the
	// length assumed).
	Duration int64
	// Payload is the packet, for Audio; for Lost, the packet that follows
	// the loss when it is at hand (a decoder may rebuild the end of the
	// loss from its in-band FEC), else nil.
	Payload []byte
	// Seq and Timestamp are the packet's, for Audio.
	Seq       uint16
	Timestamp uint32
	// Reset marks the first span after the stream restarted (a jump beyond
	// MaxGap or a new sequence): Start continues from where the released
	// audio ended, not from the old anchoring.
	Reset bool
}

// End returns the position just after the span.
func (s Span) End() int64 { return s.Start + s.Duration }

// Outcome says what Push did with a packet.
type Outcome uint8

// What Push does with a packet.
const (
	// InOrder: the packet was the newest so far.
	InOrder Outcome = iota
	// Reordered: it came after a packet that follows it, in time to be used.
	Reordered
	// Duplicate: the same sequence number was already released or held.
	Duplicate
	// Late: its place was already concealed or passed; dropped.
	Late
	// Probation: far from the stream; held until the next packet says
	// whether the sender restarted.
	Probation
)

// Stats counts what a Buffer saw, in packets and clock ticks.
type Stats struct {
	Packets, Reordered, Duplicates, Late int64
	// Lost counts sequence numbers declared lost.
	Lost int64
	// ConcealedTicks and SilenceTicks are the lengths of the Lost and
	// Silence spans released.
	ConcealedTicks, SilenceTicks int64
	// Resets counts restarts; Strays the far packets no other followed.
	Resets, Strays int64
	// MaxHeld is the most packets that waited at once.
	MaxHeld int
}
