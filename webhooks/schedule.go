package webhooks

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Schedule decides when a failed delivery is attempted again. It is a pure
// value: the caller supplies the elapsed time and the random number.
type Schedule struct {
	// Steps are the delays after the first, second, ... failed attempt.
	Steps []time.Duration
	// Repeat is the delay after every failure past the last step.
	Repeat time.Duration
	// MaxAge bounds the schedule: no attempt is planned later than MaxAge
	// after the schedule started.
	MaxAge time.Duration
	// Jitter spreads each delay uniformly over [1-Jitter, 1+Jitter) times
	// its nominal value, so that failures do not retry in lockstep. In [0, 1).
	Jitter float64
}

// maxHint caps how long a Retry-After answer may postpone an attempt.
const maxHint = time.Hour

// DefaultSchedule retries after 5s, 30s, 2m, 10m, 30m and 1h, then hourly,
// for retryFor in total, with ±20% jitter.
func DefaultSchedule(retryFor time.Duration) Schedule {
	return Schedule{
		Steps:  []time.Duration{5 * time.Second, 30 * time.Second, 2 * time.Minute, 10 * time.Minute, 30 * time.Minute, time.Hour},
		Repeat: time.Hour,
		MaxAge: retryFor,
		Jitter: 0.2,
	}
}

// Validate reports whether s can be used.
func (s Schedule) Validate() error {
	for _, d := range s.Steps {
		if d <= 0 {
			return fmt.Errorf("%w: schedule step %s not positive", ErrBadConfig, d)
		}
	}
	if s.Repeat <= 0 || s.MaxAge <= 0 || s.Jitter < 0 || s.Jitter >= 1 {
		return fmt.Errorf("%w: schedule needs positive Repeat and MaxAge and Jitter in [0, 1)", ErrBadConfig)
	}
	return nil
}

// Delay returns the nominal delay after the tries-th failed attempt (tries
// counts from 1).
func (s Schedule) Delay(tries int) time.Duration {
	if tries >= 1 && tries <= len(s.Steps) {
		return s.Steps[tries-1]
	}
	return s.Repeat
}

// Next returns the delay until the attempt that follows the tries-th
// failure of a schedule that started age ago. hint is a delay the receiver
// asked for with Retry-After (zero if none); it lengthens the delay, up to
// an hour. r in [0, 1) picks the jitter. ok is false when that attempt would
// come later than MaxAge after the start: the delivery is dead.
func (s Schedule) Next(tries int, age, hint time.Duration, r float64) (d time.Duration, ok bool) {
	d = s.Delay(tries)
	if hint > d {
		d = min(hint, maxHint)
	}
	if age+d > s.MaxAge {
		return 0, false
	}
	return Jitter(d, s.Jitter, r), true
}

// Jitter scales d by 1 - frac + 2*frac*r: for r in [0, 1) the result lies in
// [d*(1-frac), d*(1+frac)).
func Jitter(d time.Duration, frac, r float64) time.Duration {
	return time.Duration(float64(d) * (1 - frac + 2*frac*r))
}

// retryAfter parses a Retry-After header, in seconds or as an HTTP date
// relative to now. It returns zero when absent or unusable.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n <= 0 {
			return 0
		}
		return time.Duration(min(n, int64(maxHint/time.Second))) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
