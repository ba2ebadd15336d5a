package webhooks

import (
	"testing"
	"time"
)

func TestBreaker(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	b := NewBreaker(3, time.Minute)
	step := func(what string, got, want BreakerState) {
		t.Helper()
		if got != want {
			t.Fatalf("%s: state %s, want %s", what, got, want)
		}
	}
	step("new", b.State(t0), BreakerClosed)
	fail := func(n int, at time.Time) (opened bool) {
		for range n {
			opened = b.Failure(at) || opened
		}
		return opened
	}
	if fail(2, t0) {
		t.Fatal("opened before the threshold")
	}
	b.Success() // resets the count
	if fail(2, t0) {
		t.Fatal("success did not reset the count")
	}
	if !b.Failure(t0) {
		t.Fatal("third consecutive failure did not open")
	}
	step("after threshold", b.State(t0.Add(59*time.Second)), BreakerOpen)
	if b.Failure(t0.Add(30 * time.Second)) {
		t.Error("failure while open reported as opening")
	}
	step("late failure keeps the cool-down", b.State(t0.Add(time.Minute)), BreakerHalfOpen)

	// A failed probe reopens for a full cool-down from its time.
	probe := t0.Add(2 * time.Minute)
	if !b.Failure(probe) {
		t.Error("failed probe did not reopen")
	}
	step("after failed probe", b.State(probe.Add(59*time.Second)), BreakerOpen)
	step("cool-down over", b.State(probe.Add(time.Minute)), BreakerHalfOpen)
	b.Success()
	step("after successful probe", b.State(probe.Add(time.Minute)), BreakerClosed)
	if fail(2, probe) {
		t.Error("closed breaker kept old failures")
	}
	if s := BreakerHalfOpen.String(); s != "half-open" {
		t.Errorf("String = %q", s)
	}
}
