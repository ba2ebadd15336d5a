package codec_test

import (
	"fmt"

	"github.com/callscribe/callscribe/codec"
)

// A call's 8 kHz mu-law frames, 20 ms each, become 16 kHz samples for the
// recogniser. The resampler holds back a few milliseconds of output until
// it has seen the input that follows; Flush releases them at hang-up.
func ExampleResampler() {
	r, err := codec.NewResampler(8000, 16000)
	if err != nil {
		panic(err)
	}
	frame := codec.EncodeMulaw(nil, make([]float32, 160)) // 20 ms of silence

	// Reusing these buffers keeps the per-frame path free of allocation.
	pcm := make([]float32, 0, 160)
	out := make([]float32, 0, 16000)
	for range 50 { // one second of call
		pcm = codec.DecodeMulaw(pcm[:0], frame)
		out = r.Process(out, pcm)
	}
	fmt.Println("samples during the call:", len(out))
	out = r.Flush(out)
	fmt.Println("samples after Flush:", len(out))
	fmt.Printf("latency: %.1f ms\n", float64(r.Taps()/2)/8)
	// Output:
	// samples during the call: 15928
	// samples after Flush: 16000
	// latency: 4.5 ms
}
