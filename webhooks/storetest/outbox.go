package storetest

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/callscribe/callscribe/webhooks"
)

func testEnqueue(t *testing.T, s webhooks.Store) {
	putEndpoint(t, s, "a")
	putEndpoint(t, s, "b")
	id := enqueue(t, s, t0, "CA1", 1, "a", "b")
	// An endpoint deleted between choosing and storing is skipped.
	n, err := s.Enqueue(ctx, webhooks.Entry{
		Message:     webhooks.Message{ID: "msg_gone", CallID: "CA1", Seq: 2, Type: "dtmf", Payload: []byte(`{}`), CreatedAt: t0},
		EndpointIDs: []string{"a", "deleted"},
	})
	if err != nil || n != 1 {
		t.Fatalf("Enqueue with a deleted endpoint = %d, %v; want 1, nil", n, err)
	}
	ds := deliveries(t, s, webhooks.DeliveryQuery{CallID: "CA1"})
	if len(ds) != 3 {
		t.Fatalf("deliveries = %+v", ds)
	}
	d := ds[0]
	if d.MessageID != id || d.EndpointID != "a" || d.Seq != 1 || d.Type != "transcript.final" || d.Status != webhooks.StatusPending ||
		d.Attempts != 0 || d.Tries != 0 || !d.NextAt.Equal(t0) || !d.BaseAt.Equal(t0) || !d.CreatedAt.Equal(t0) {
		t.Errorf("first delivery = %+v", d)
	}
	// A message id already stored stores nothing more: the one call.ended
	// of a call may be produced by two nodes, and is delivered once.
	n, err = s.Enqueue(ctx, webhooks.Entry{Message: webhooks.Message{ID: id, CallID: "CA1", Seq: 9, Payload: []byte(`{}`), CreatedAt: t0}, EndpointIDs: []string{"a", "b"}})
	if err != nil || n != 0 {
		t.Errorf("Enqueue of a stored message id = %d, %v; want 0, nil", n, err)
	}
	if got := deliveries(t, s, webhooks.DeliveryQuery{CallID: "CA1"}); len(got) != 3 || got[0].Seq != 1 {
		t.Errorf("after a repeated message id: deliveries %+v, want the 3 first ones unchanged", got)
	}
}

func testClaimOrder(t *testing.T, s webhooks.Store) {
	putEndpoint(t, s, "e")
	putEndpoint(t, s, "f")
	for seq := uint64(1); seq <= 3; seq++ {
		enqueue(t, s, t0, "A", seq, "e", "f")
	}
	enqueue(t, s, t0, "B", 1, "e")
	enqueue(t, s, t0.Add(time.Hour), "C", 1, "e") // not due yet

	// One delivery per call and endpoint at a time, oldest first.
	got := claim(t, s, "e", "n1", t0, 10)
	if want := []string{"A:1", "B:1"}; !slices.Equal(seqs(got), want) {
		t.Fatalf("first claim = %v, want %v", seqs(got), want)
	}
	if string(got[0].Payload) != `{"seq":1}` {
		t.Errorf("payload = %q", got[0].Payload)
	}
	// Endpoint f's copy of A:1 is independent of e's.
	if f := claim(t, s, "f", "n1", t0, 10); !slices.Equal(seqs(f), []string{"A:1"}) {
		t.Errorf("claim for f = %v", seqs(f))
	}
	complete(t, s, got[0], "n1", t0, webhooks.StatusDelivered, time.Time{}, 200)
	complete(t, s, got[1], "n1", t0, webhooks.StatusDelivered, time.Time{}, 200)
	if next := claim(t, s, "e", "n1", t0, 10); !slices.Equal(seqs(next), []string{"A:2"}) {
		t.Fatalf("after A:1 delivered: %v, want [A:2]", seqs(next))
	} else {
		// A failed delivery waiting for its retry holds the call back.
		complete(t, s, next[0], "n1", t0, webhooks.StatusPending, t0.Add(time.Minute), 500)
	}
	if held := claim(t, s, "e", "n1", t0.Add(30*time.Second), 10); len(held) != 0 {
		t.Fatalf("A:3 claimed while A:2 waits for retry: %v", seqs(held))
	}
	retry := claim(t, s, "e", "n1", t0.Add(time.Minute), 10)
	if !slices.Equal(seqs(retry), []string{"A:2"}) || retry[0].Tries != 1 || retry[0].Attempts != 1 {
		t.Fatalf("retry claim = %+v", retry)
	}
	// A dead letter no longer holds the call back.
	complete(t, s, retry[0], "n1", t0.Add(time.Minute), webhooks.StatusDead, time.Time{}, 500)
	a3 := claim(t, s, "e", "n1", t0.Add(time.Minute), 10)
	if !slices.Equal(seqs(a3), []string{"A:3"}) {
		t.Fatalf("after A:2 dead: %v, want [A:3]", seqs(a3))
	}
	complete(t, s, a3[0], "n1", t0.Add(time.Minute), webhooks.StatusDelivered, time.Time{}, 200)
	// A disabled endpoint's deliveries wait.
	if err := s.SetEndpointDisabled(ctx, "e", true, "410"); err != nil {
		t.Fatal(err)
	}
	if none := claim(t, s, "e", "n1", t0.Add(2*time.Hour), 1); len(none) != 0 {
		t.Errorf("claimed %v for a disabled endpoint", seqs(none))
	}
	if err := s.SetEndpointDisabled(ctx, "e", false, ""); err != nil {
		t.Fatal(err)
	}
	if limited := claim(t, s, "e", "n1", t0.Add(2*time.Hour), 1); !slices.Equal(seqs(limited), []string{"C:1"}) {
		t.Errorf("limit 1 at +2h = %v, want [C:1]", seqs(limited))
	}
}

func testLease(t *testing.T, s webhooks.Store) {
	putEndpoint(t, s, "e")
	enqueue(t, s, t0, "A", 1, "e")
	first := claim(t, s, "e", "dead-node", t0, 5)
	if len(first) != 1 {
		t.Fatalf("claim = %v", seqs(first))
	}
	if again := claim(t, s, "e", "other", t0.Add(59*time.Second), 5); len(again) != 0 {
		t.Fatalf("leased delivery claimed again: %v", seqs(again))
	}
	taken := claim(t, s, "e", "other", t0.Add(time.Minute), 5)
	if len(taken) != 1 || taken[0].ID != first[0].ID {
		t.Fatalf("expired lease not taken over: %v", seqs(taken))
	}
	late := webhooks.Completion{DeliveryID: first[0].ID, Owner: "dead-node", Now: t0.Add(time.Minute), Status: webhooks.StatusDelivered,
		Attempt: &webhooks.Attempt{StatusCode: 200}}
	wantErr(t, "complete by former owner", s.Complete(ctx, late), webhooks.ErrLeaseLost)
	wantErr(t, "release by former owner", s.Complete(ctx, webhooks.Completion{DeliveryID: first[0].ID, Owner: "dead-node"}), webhooks.ErrLeaseLost)
	// Releasing without an attempt makes the delivery due again at once,
	// and counts nothing.
	if err := s.Complete(ctx, webhooks.Completion{DeliveryID: taken[0].ID, Owner: "other"}); err != nil {
		t.Fatal(err)
	}
	back := claim(t, s, "e", "third", t0.Add(time.Minute), 5)
	if len(back) != 1 || back[0].Attempts != 0 {
		t.Fatalf("after release: %+v", back)
	}
}

func testConcurrentClaims(t *testing.T, s webhooks.Store) {
	putEndpoint(t, s, "e")
	const calls = 40
	for i := range calls {
		enqueue(t, s, t0, string(rune('a'+i%26))+string(rune('A'+i/26)), 1, "e")
	}
	var (
		mu   sync.Mutex
		seen = map[int64]string{}
		wg   sync.WaitGroup
		errs = make(chan error, 4)
	)
	for w := range 4 {
		owner := string(rune('p' + w))
		wg.Go(func() {
			for {
				ds, err := s.Claim(ctx, webhooks.ClaimRequest{EndpointID: "e", Owner: owner, Now: t0, Lease: time.Minute, Limit: 3})
				if err != nil {
					errs <- err
					return
				}
				if len(ds) == 0 {
					return
				}
				mu.Lock()
				for _, d := range ds {
					if prev, dup := seen[d.ID]; dup {
						t.Errorf("delivery %d claimed by %s and %s", d.ID, prev, owner)
					}
					seen[d.ID] = owner
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if len(seen) != calls {
		t.Errorf("claimed %d deliveries, want %d", len(seen), calls)
	}
}
