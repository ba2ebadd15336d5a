package webhooks

import (
	"net/http"
	"testing"
	"time"
)

// TestDefaultScheduleTimeline walks the default schedule without jitter from
// the first attempt to the dead letter.
func TestDefaultScheduleTimeline(t *testing.T) {
	s := DefaultSchedule(24 * time.Hour)
	s.Jitter = 0
	var at []time.Duration // attempt times since the start
	age := time.Duration(0)
	for tries := 1; ; tries++ {
		at = append(at, age)
		d, ok := s.Next(tries, age, 0, 0.5)
		if !ok {
			break
		}
		age += d
	}
	want := []time.Duration{0, 5 * time.Second, 35 * time.Second, 155 * time.Second, 755 * time.Second, 2555 * time.Second, 6155 * time.Second, 9755 * time.Second}
	for i, w := range want {
		if at[i] != w {
			t.Fatalf("attempt %d at %s, want %s (all: %v)", i+1, at[i], w, at)
		}
	}
	// Hourly after the sixth retry until 24h: 6155s + 22h = 23h42m35s.
	if len(at) != 29 || at[len(at)-1] != 85355*time.Second {
		t.Errorf("%d attempts, last at %s; want 29, last at 23h42m35s", len(at), at[len(at)-1])
	}
}

func TestScheduleNext(t *testing.T) {
	s := Schedule{Steps: []time.Duration{time.Second, 10 * time.Second}, Repeat: time.Minute, MaxAge: 10 * time.Minute, Jitter: 0.2}
	cases := []struct {
		tries     int
		age, hint time.Duration
		r         float64
		want      time.Duration
		ok        bool
	}{
		{1, 0, 0, 0.5, time.Second, true},
		{2, 0, 0, 0.5, 10 * time.Second, true},
		{3, 0, 0, 0.5, time.Minute, true},
		{99, 0, 0, 0.5, time.Minute, true},
		{1, 0, 0, 0, 800 * time.Millisecond, true},            // lowest jitter
		{3, 9 * time.Minute, 0, 0.5, time.Minute, true},       // lands exactly on MaxAge
		{3, 9*time.Minute + 1, 0, 0.5, 0, false},              // would pass MaxAge: dead
		{1, 0, 30 * time.Second, 0.5, 30 * time.Second, true}, // Retry-After lengthens
		{2, 0, time.Second, 0.5, 10 * time.Second, true},      // but never shortens
		{1, 0, 3 * time.Hour, 0.5, 0, false},                  // capped at 1h, still past MaxAge
	}
	for _, c := range cases {
		got, ok := s.Next(c.tries, c.age, c.hint, c.r)
		if got != c.want || ok != c.ok {
			t.Errorf("Next(%d, %s, %s, %v) = %s, %v; want %s, %v", c.tries, c.age, c.hint, c.r, got, ok, c.want, c.ok)
		}
	}
	long := s
	long.MaxAge = 48 * time.Hour
	if got, _ := long.Next(1, 0, 3*time.Hour, 0.5); got != time.Hour {
		t.Errorf("Retry-After of 3h gave %s, want the 1h cap", got)
	}
}

func TestJitterBounds(t *testing.T) {
	d := 10 * time.Second
	for _, frac := range []float64{0, 0.1, 0.2, 0.5} {
		lo, hi := time.Duration(float64(d)*(1-frac)), time.Duration(float64(d)*(1+frac))
		for _, r := range []float64{0, 0.25, 0.5, 0.75, 0.999999} {
			got := Jitter(d, frac, r)
			if got < lo || (frac > 0 && got >= hi) || (frac == 0 && got != d) {
				t.Errorf("Jitter(%s, %v, %v) = %s, want in [%s, %s)", d, frac, r, got, lo, hi)
			}
		}
		if got := Jitter(d, frac, 0); got != lo {
			t.Errorf("Jitter(%s, %v, 0) = %s, want %s", d, frac, got, lo)
		}
	}
	if got := Jitter(d, 0.2, 0.5); got != d {
		t.Errorf("Jitter at r=0.5 = %s, want %s", got, d)
	}
}

func TestScheduleValidate(t *testing.T) {
	good := DefaultSchedule(time.Hour)
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []Schedule{
		{Steps: []time.Duration{0}, Repeat: time.Second, MaxAge: time.Hour},
		{Repeat: 0, MaxAge: time.Hour},
		{Repeat: time.Second},
		{Repeat: time.Second, MaxAge: time.Hour, Jitter: 1},
		{Repeat: time.Second, MaxAge: time.Hour, Jitter: -0.1},
	} {
		if bad.Validate() == nil {
			t.Errorf("Validate(%+v) = nil", bad)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	cases := map[string]time.Duration{
		"":         0,
		"120":      2 * time.Minute,
		" 7 ":      7 * time.Second,
		"0":        0,
		"-5":       0,
		"99999999": time.Hour,
		"soon":     0,
		now.Add(90 * time.Second).Format(http.TimeFormat):  90 * time.Second,
		now.Add(-90 * time.Second).Format(http.TimeFormat): 0,
	}
	for in, want := range cases {
		if got := retryAfter(in, now); got != want {
			t.Errorf("retryAfter(%q) = %s, want %s", in, got, want)
		}
	}
}
