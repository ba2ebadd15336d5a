package auth

import (
	"fmt"
	"testing"
	"time"
)

func TestLimiterBlocksAfterMaxFailures(t *testing.T) {
	l := newFailureLimiter(3, time.Minute, 5*time.Minute, 100)
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	if l.fail("a", t0) || l.fail("a", t0.Add(10*time.Second)) {
		t.Fatal("blocked before the third failure")
	}
	if d := l.blocked("a", t0.Add(20*time.Second)); d != 0 {
		t.Fatalf("blocked after 2 failures: %s", d)
	}
	if !l.fail("a", t0.Add(30*time.Second)) {
		t.Fatal("not blocked at the third failure within the window")
	}
	if d := l.blocked("a", t0.Add(30*time.Second)); d != 5*time.Minute {
		t.Errorf("blocked for %s, want 5m", d)
	}
	if d := l.blocked("a", t0.Add(5*time.Minute)); d != 30*time.Second {
		t.Errorf("Retry-After later = %s, want 30s", d)
	}
	if d := l.blocked("b", t0.Add(30*time.Second)); d != 0 {
		t.Errorf("another address is blocked: %s", d)
	}
	// The back-off ends, and the count starts again from zero.
	end := t0.Add(30*time.Second + 5*time.Minute)
	if d := l.blocked("a", end); d != 0 {
		t.Errorf("still blocked at the end of the back-off: %s", d)
	}
	if l.fail("a", end) || l.fail("a", end.Add(time.Second)) {
		t.Error("blocked again before three new failures")
	}
}

func TestLimiterWindowSlides(t *testing.T) {
	l := newFailureLimiter(3, time.Minute, time.Minute, 100)
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	// Two failures a minute, forever, never reach three in one window.
	for i := range 10 {
		at := t0.Add(time.Duration(i) * time.Minute)
		if l.fail("a", at) || l.fail("a", at.Add(time.Second)) {
			t.Fatalf("blocked in minute %d with two failures a minute", i)
		}
	}
}

func TestLimiterBoundedMemory(t *testing.T) {
	l := newFailureLimiter(2, time.Minute, time.Hour, 3)
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	l.fail("old", t0)
	l.fail("old", t0) // blocked
	for i := range 1000 {
		l.fail(fmt.Sprint("spray-", i), t0.Add(time.Duration(i+1)*time.Millisecond))
		if l.tracked() > 3 {
			t.Fatalf("tracking %d addresses, cap is 3", l.tracked())
		}
	}
	// The least recently failing address was forgotten first.
	if d := l.blocked("old", t0.Add(time.Second)); d != 0 {
		t.Errorf("old address still tracked after 1000 newer ones")
	}
	if _, ok := l.byAddr["spray-999"]; !ok {
		t.Error("the newest address is not tracked")
	}
}
