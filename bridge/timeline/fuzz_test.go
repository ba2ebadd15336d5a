package timeline

import (
	"testing"
	"time"
)

// FuzzTimeline plays frames with timestamps wandering around, jumping far
// and going back, of any length, then checks what came out: chunks follow
// each other in call time, every frame is accounted for in Stats, and the
// track released is as long as the furthest frame kept. At 1000 Hz, where
// timestamps are exact, every sample must land exactly where it belongs.
func FuzzTimeline(f *testing.F) {
	f.Add(uint8(0), []byte{20, 20, 0, 20, 20, 0, 236, 20, 0, 60, 20, 0})
	f.Add(uint8(1), []byte{0, 160, 0, 40, 160, 0, 20, 160, 0, 20, 160, 0, 100, 160, 0x80, 255, 0, 0})
	f.Add(uint8(3), []byte{0, 8, 0, 2, 8, 0, 1, 8, 0, 1, 8, 0, 1, 8, 0, 1, 8, 0, 0x80, 8, 0x80})
	f.Fuzz(func(t *testing.T, mode uint8, ops []byte) {
		rate := []int{1000, 8000}[mode&1]
		slop := int64(rate/1000 - 1)
		var rec recorder
		tl, err := New(Config[int64]{
			SampleRate:    rate,
			MaxHeldFrames: 1 + int(mode>>1&7),
			MaxGap:        time.Second, // small, so that fuzzing reaches it
		}, rec.sink)
		if err != nil {
			t.Fatal(err)
		}
		outcomes := map[Outcome]int64{}
		var ms, keptEnd, keptSamples int64
		for ; len(ops) >= 3; ops = ops[3:] {
			if ops[0] == 0xFF {
				tl.Flush()
				continue
			}
			delta := int64(int8(ops[0]))
			if ops[2]&0x80 != 0 {
				delta *= 100 // jumps of up to 12.8 s either way
			}
			ms += delta
			n := int(ops[1])
			o := tl.Push(ms, frame(rate, ms, n))
			outcomes[o]++
			if o.Kept() {
				keptEnd = max(keptEnd, ms*int64(rate)/1000+int64(n))
				keptSamples += int64(n)
			}
		}
		tl.Flush()
		rec.checkPlacement(t, rate == 1000)

		st := tl.Stats()
		var audio, silence, skipped int64
		for _, c := range rec.chunks {
			if c.Silence {
				silence += int64(len(c.Samples))
			} else {
				audio += int64(len(c.Samples))
			}
			skipped += c.Skipped
		}
		switch {
		case tl.Held() != 0:
			t.Fatalf("%d frames held after Flush", tl.Held())
		case st.Frames != outcomes[InOrder]+outcomes[Reordered]+outcomes[Duplicate]+outcomes[Late]+outcomes[Invalid]+outcomes[Empty]:
			t.Fatalf("stats %+v do not add up to outcomes %v", st, outcomes)
		case st.Reordered != outcomes[Reordered] || st.Duplicates != outcomes[Duplicate] || st.Late != outcomes[Late]:
			t.Fatalf("stats %+v disagree with outcomes %v", st, outcomes)
		case audio != st.AudioSamples || silence != st.GapSamples || skipped != st.SkippedSamples:
			t.Fatalf("released %d audio, %d silence, %d skipped; stats %+v", audio, silence, skipped, st)
		case audio+silence+skipped != tl.End():
			t.Fatalf("released %d samples in all, End %d", audio+silence+skipped, tl.End())
		case st.AudioSamples != keptSamples-st.TrimmedSamples:
			t.Fatalf("kept %d samples, trimmed %d, released %d", keptSamples, st.TrimmedSamples, st.AudioSamples)
		case tl.End() < keptEnd-2*slop || tl.End() > keptEnd+2*slop:
			t.Fatalf("End %d, furthest frame kept ends at %d", tl.End(), keptEnd)
		case rate == 1000 && st.TrimmedSamples != 0:
			t.Fatalf("trimmed %d samples with exact timestamps", st.TrimmedSamples)
		}
	})
}
