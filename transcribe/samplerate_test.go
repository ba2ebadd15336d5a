package transcribe

import (
	"testing"
	"time"
)

func TestSampleConversions(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want int64
	}{{0, 0}, {time.Second, 16000}, {300 * time.Millisecond, 4800}, {time.Microsecond * 99, 1}, {time.Microsecond * 62, 0}} {
		if got := SamplesOf(c.d); got != c.want {
			t.Errorf("SamplesOf(%v) = %d, want %d", c.d, got, c.want)
		}
	}
	for _, c := range []struct {
		sec  float64
		want int64
	}{{0, 0}, {1, 16000}, {0.3, 4800}, {1.00003, 16000}, {1.00004, 16001}} {
		if got := PositionOf(c.sec); got != c.want {
			t.Errorf("PositionOf(%v) = %d, want %d", c.sec, got, c.want)
		}
	}
}
