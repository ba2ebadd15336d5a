package storetest

import (
	"testing"
	"time"

	"github.com/callscribe/callscribe/webhooks"
)

// testPending checks the backlog count: pending deliveries of every
// endpoint, due or not, claimed or not; delivered and dead ones leave it.
func testPending(t *testing.T, s webhooks.Store) {
	pending := func(want int) {
		t.Helper()
		if n, err := s.Pending(ctx); err != nil || n != want {
			t.Errorf("Pending = %d, %v; want %d", n, err, want)
		}
	}
	pending(0)
	putEndpoint(t, s, "a")
	putEndpoint(t, s, "b")
	enqueue(t, s, t0, "CA1", 1, "a", "b")
	enqueue(t, s, t0, "CA2", 1, "a")
	enqueue(t, s, t0.Add(time.Hour), "CA3", 1, "b") // not due yet
	pending(4)
	got := claim(t, s, "a", "n1", t0, 10)
	if len(got) != 2 {
		t.Fatalf("claimed %v, want 2 deliveries", seqs(got))
	}
	pending(4) // in flight is still pending
	complete(t, s, got[0], "n1", t0, webhooks.StatusDelivered, time.Time{}, 200)
	complete(t, s, got[1], "n1", t0, webhooks.StatusDead, time.Time{}, 500)
	pending(2)
}
