package timeline

import (
	"fmt"
	"strings"
	"testing"
)

// Test frames carry, in each sample, its intended position plus one, so that
// any sample released can be checked against where it landed; silence is 0.

// frame returns n samples that belong at timestampMS of a stream at rate.
func frame(rate int, timestampMS int64, n int) []int64 {
	start := timestampMS * int64(rate) / 1000
	samples := make([]int64, n)
	for i := range samples {
		samples[i] = start + int64(i) + 1
	}
	return samples
}

// recorder keeps copies of the chunks a timeline releases.
type recorder struct{ chunks []Chunk[int64] }

func (r *recorder) sink(c Chunk[int64]) {
	c.Samples = append([]int64(nil), c.Samples...)
	r.chunks = append(r.chunks, c)
}

// layout renders the chunks compactly: "0-160" audio, "~160-320" silence,
// "+N" a skipped gap. Adjacent chunks of one kind are merged, since where
// the sink's calls split is not behaviour.
func (r *recorder) layout() string {
	var parts []string
	var end int64 = -1
	lastSilence := false
	for _, c := range r.chunks {
		if c.Skipped > 0 {
			parts = append(parts, fmt.Sprintf("+%d", c.Skipped))
		}
		if c.Start == end && c.Silence == lastSilence && c.Skipped == 0 && len(parts) > 0 {
			parts[len(parts)-1] = parts[len(parts)-1][:strings.LastIndex(parts[len(parts)-1], "-")+1] + fmt.Sprint(c.End())
		} else {
			mark := ""
			if c.Silence {
				mark = "~"
			}
			parts = append(parts, fmt.Sprintf("%s%d-%d", mark, c.Start, c.End()))
		}
		end, lastSilence = c.End(), c.Silence
	}
	return strings.Join(parts, " ")
}

// checkPlacement fails if a released sample is not where it belongs: audio
// sample p must hold p+1, silence must be 0, and chunks must follow each
// other (plus any skip).
func (r *recorder) checkPlacement(t *testing.T, exact bool) {
	t.Helper()
	var end int64
	for _, c := range r.chunks {
		if c.Start != end+c.Skipped || c.Skipped < 0 || len(c.Samples) == 0 {
			t.Fatalf("chunk at %d (skip %d, %d samples) does not follow %d", c.Start, c.Skipped, len(c.Samples), end)
		}
		for i, v := range c.Samples {
			pos := c.Start + int64(i)
			if c.Silence && v != 0 {
				t.Fatalf("silence at %d holds %d", pos, v)
			}
			if !c.Silence && exact && v != pos+1 {
				t.Fatalf("sample at %d holds the one for %d", pos, v-1)
			}
		}
		end = c.End()
	}
}
