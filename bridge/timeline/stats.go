package timeline

// Outcome says what Push did with a frame.
type Outcome uint8

// Outcomes of Push. InOrder and Reordered frames are kept; the others are
// dropped.
const (
	// InOrder: kept, and no frame placed after it had arrived before it.
	InOrder Outcome = iota + 1
	// Reordered: kept, although a frame placed after it arrived first.
	Reordered
	// Duplicate: dropped, its position already holds audio.
	Duplicate
	// Late: dropped, its position was already released (filled with
	// silence, or too far back to tell).
	Late
	// Invalid: dropped, its timestamp is negative or too large to place.
	Invalid
	// Empty: dropped, it has no samples.
	Empty
)

// String names the outcome for logs and test failures.
func (o Outcome) String() string {
	switch o {
	case InOrder:
		return "in order"
	case Reordered:
		return "reordered"
	case Duplicate:
		return "duplicate"
	case Late:
		return "late"
	case Invalid:
		return "invalid"
	case Empty:
		return "empty"
	}
	return "unknown"
}

// Kept reports whether the frame will be, or has been, released.
func (o Outcome) Kept() bool { return o == InOrder || o == Reordered }

// Stats counts what a Timeline did. Frames is the sum of the frame outcomes:
// InOrder frames (not counted apart), Reordered, Duplicates, Late, Invalid
// and Empty.
type Stats struct {
	Frames     int64 // frames pushed
	Reordered  int64 // kept, but arrived after a frame placed later
	Duplicates int64 // dropped: position already held audio
	Late       int64 // dropped: position already released
	Invalid    int64 // dropped: timestamp out of range
	Empty      int64 // dropped: no samples

	AudioSamples   int64 // samples of received audio released
	Gaps           int64 // gaps filled with silence
	GapSamples     int64 // samples of silence released
	CappedGaps     int64 // gaps longer than MaxGap
	SkippedSamples int64 // samples of capped gaps left unfilled
	// TrimmedSamples counts samples dropped where millisecond timestamps
	// made neighbouring frames overlap by more than rounding explains.
	TrimmedSamples int64
	MaxHeld        int // most frames waiting at once
}
