package jitter_test

import (
	"fmt"

	"github.com/callscribe/callscribe/bridge/jitter"
)

// A packet is lost and two arrive out of order: the spans come out in
// RTP time, the loss concealed in its place.
func Example() {
	b, err := jitter.New(jitter.Config{ClockRate: 48000}, func(s jitter.Span) {
		fmt.Printf("%-7s at %5d for %d ticks\n", s.Kind, s.Start, s.Duration)
	})
	if err != nil {
		panic(err)
	}
	for _, seq := range []uint16{10, 12, 11, 14, 15, 16, 17, 18} { // 13 never comes
		b.Push(jitter.Packet{Seq: seq, Timestamp: uint32(seq) * 960, Duration: 960})
	}
	b.Flush()
	// Output:
	// audio   at     0 for 960 ticks
	// audio   at   960 for 960 ticks
	// audio   at  1920 for 960 ticks
	// lost    at  2880 for 960 ticks
	// audio   at  3840 for 960 ticks
	// audio   at  4800 for 960 ticks
	// audio   at  5760 for 960 ticks
	// audio   at  6720 for 960 ticks
	// audio   at  7680 for 960 ticks
}
