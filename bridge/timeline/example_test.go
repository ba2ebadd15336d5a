package timeline_test

import (
	"fmt"
	"time"

	"github.com/callscribe/callscribe/bridge/timeline"
)

// Frames of 20 ms at 8 kHz arrive out of order, once twice, and one never
// arrives; the timeline releases the track in call order with the hole
// filled.
func ExampleTimeline() {
	tl, err := timeline.New(timeline.Config[float32]{SampleRate: 8000}, func(c timeline.Chunk[float32]) {
		kind := "audio"
		if c.Silence {
			kind = "silence"
		}
		fmt.Printf("%-7s samples %4d-%4d\n", kind, c.Start, c.End())
	})
	if err != nil {
		panic(err)
	}
	frame := make([]float32, 160)
	for _, ms := range []int64{0, 40, 20, 20, 80, 100} { // 60 is lost
		fmt.Printf("frame at %3d ms: %v\n", ms, tl.Push(ms, frame))
	}
	tl.Flush() // the stream stopped
	st := tl.Stats()
	fmt.Printf("reordered %d, duplicates %d, gap samples %d\n", st.Reordered, st.Duplicates, st.GapSamples)
	// Output:
	// audio   samples    0- 160
	// frame at   0 ms: in order
	// frame at  40 ms: in order
	// audio   samples  160- 320
	// audio   samples  320- 480
	// frame at  20 ms: reordered
	// frame at  20 ms: duplicate
	// frame at  80 ms: in order
	// frame at 100 ms: in order
	// silence samples  480- 640
	// audio   samples  640- 800
	// audio   samples  800- 960
	// reordered 1, duplicates 1, gap samples 160
}

// A client replaying a recording as fast as it can is caught once its media
// runs more than the allowed burst ahead of the wall clock.
func ExampleRateGuard() {
	guard := timeline.NewRateGuard(timeline.RateGuardConfig{Burst: 5 * time.Second, Speed: 2})
	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for i := range 1000 {
		arrival := start.Add(time.Duration(i) * time.Millisecond) // a frame every 1 ms
		media := time.Duration(i+1) * 20 * time.Millisecond       // each 20 ms long
		if err := guard.Observe(arrival, media); err != nil {
			fmt.Printf("frame %d: %v\n", i, err)
			return
		}
	}
	// Output:
	// frame 278: timeline: media faster than real time: 5.56s of media in 278ms of wall time, 5.556s allowed
}
