package main

import (
	"context"
	"log/slog"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

func TestExpectedTruth(t *testing.T) {
	truth := []Truth{
		{Clip: "a", Start: 1, End: 5},
		{Clip: "b", Start: 8, End: 13},  // ends 7 s before a cut at 20
		{Clip: "c", Start: 15, End: 17}, // too near the cut
		{Clip: "d", Start: 18, End: 23}, // cut in two
		{Clip: "e", Start: 24, End: 30},
	}
	clips := func(ts []Truth) string {
		s := ""
		for _, t := range ts {
			s += t.Clip
		}
		return s
	}
	for _, c := range []struct {
		plan Plan
		want string
	}{
		{Plan{}, "abcde"},
		{Plan{Cut: 20}, "ab"},
		{Plan{Cut: 20, Resume: 2 * time.Second}, "abe"},
	} {
		if got := clips(expectedTruth(truth, c.plan)); got != c.want {
			t.Errorf("%s %+v: expected %q, want %q", c.plan.Kind(), c.plan, got, c.want)
		}
	}
}

func TestChurnPlan(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	c := DefaultChurn
	kinds := map[string]int{}
	const n = 20000
	for range n {
		p := c.plan(rng, 40)
		kinds[p.Kind()]++
		if p.Cut > 0 && (p.Cut < 40*c.CutMin || p.Cut > 40*c.CutMax) {
			t.Fatalf("cut at %.1f s of 40", p.Cut)
		}
		if p.Resume != 0 && (p.Resume < c.ResumeMin || p.Resume > c.ResumeMax) {
			t.Fatalf("resume after %v", p.Resume)
		}
		if g := c.gap(rng); g < c.GapMin || g > c.GapMax {
			t.Fatalf("gap %v", g)
		}
	}
	for kind, share := range map[string]float64{"clean": 1 - c.Drop - c.Resume, "dropped": c.Drop, "resumed": c.Resume} {
		if got := float64(kinds[kind]) / n; math.Abs(got-share) > 0.02 {
			t.Errorf("%s: %.3f of calls, want %.2f", kind, got, share)
		}
	}
}

// waitStreams waits until the fake server has seen n streams end.
func waitStreams(t *testing.T, f *fakeTwilio, n int) []seenStream {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for len(f.seen()) < n && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	return f.seen()
}

func TestPlayPlannedDropsAndResumes(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	call := shortCall() // 0.2 s: 10 frames a track

	f := newFakeTwilio(t)
	r := playPlanned(context.Background(), f.url(), call, Plan{Cut: 0.1}, 5*time.Second, log)
	seen := waitStreams(t, f, 1)
	if r.Error != "" || r.Refused || len(seen) != 1 {
		t.Fatalf("dropped: %+v, server saw %+v", r, seen)
	}
	if s := seen[0]; !s.Dropped || s.Stop || s.Media != 10 {
		t.Errorf("dropped at 0.1 s: the server saw %+v, want 10 media messages and a drop", s)
	}

	f = newFakeTwilio(t)
	r = playPlanned(context.Background(), f.url(), call, Plan{Cut: 0.1, Resume: 50 * time.Millisecond}, 5*time.Second, log)
	seen = waitStreams(t, f, 2)
	if r.Error != "" || r.Refused || len(seen) != 2 {
		t.Fatalf("resumed: %+v, server saw %+v", r, seen)
	}
	a, b := seen[0], seen[1]
	if !a.Dropped || a.Media != 10 || b.Dropped || !b.Stop || b.Media != 10 {
		t.Errorf("resumed: streams %+v and %+v, want 10 media each, a drop and then a stop", a, b)
	}
	if a.CallSID == "" || a.CallSID != b.CallSID || a.StreamSID == b.StreamSID {
		t.Errorf("resumed: call SIDs %q %q and stream SIDs %q %q: want one call, two streams", a.CallSID, b.CallSID, a.StreamSID, b.StreamSID)
	}
	// One final from each stream, in one timeline.
	if len(r.Events) != 2 || r.Events[1].At < r.Events[0].At {
		t.Errorf("events %+v", r.Events)
	}
}

// A call refused while it plays is a refusal, though it was to drop.
func TestPlayPlannedRefusedBeforeDrop(t *testing.T) {
	srv, _ := fakeServer(t, websocket.CloseTryAgainLater)
	url := "ws" + strings.TrimPrefix(srv.URL, "http")
	r := playPlanned(context.Background(), url, shortCall(), Plan{Cut: 0.1, Resume: time.Millisecond}, 5*time.Second, slog.New(slog.DiscardHandler))
	if !r.Refused || r.CloseCode != websocket.CloseTryAgainLater {
		t.Errorf("%+v", r)
	}
}
