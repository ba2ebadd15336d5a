package trackfeed_test

import (
	"context"
	"fmt"

	"github.com/callscribe/callscribe/bridge/trackfeed"
)

// printSink prints where each write lands.
type printSink struct{}

func (printSink) Write(pos int64, samples []float32) error {
	fmt.Printf("%d samples at %d\n", len(samples), pos)
	return nil
}
func (printSink) Finalize() error             { return nil }
func (printSink) Close(context.Context) error { return nil }

// Phone audio goes in at 8 kHz and reaches the sink at 16 kHz, at
// call-time positions, across a gap the timeline did not fill.
func ExampleFeed() {
	f, err := trackfeed.New(printSink{}, 8000)
	if err != nil {
		panic(err)
	}
	frame := make([]float32, 160) // 20 ms
	_ = f.Write(frame)
	_ = f.Write(frame)
	_ = f.Skip(8000 * 60) // the next frame is a minute in
	_ = f.Write(frame)
	_ = f.Close(context.Background())
	fmt.Println("next position:", f.Position())
	// The resampler holds back a few samples until more audio, a Skip or
	// Close flushes them: 640 samples before the gap, 320 after it.

	// Output:
	// 248 samples at 0
	// 320 samples at 248
	// 72 samples at 568
	// 248 samples at 960000
	// 72 samples at 960248
	// next position: 960320
}
