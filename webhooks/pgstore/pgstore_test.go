package pgstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/webhooks"
	"github.com/callscribe/callscribe/webhooks/pgstore"
	"github.com/callscribe/callscribe/webhooks/pgstore/pgtest"
	"github.com/callscribe/callscribe/webhooks/storetest"
)

func TestStore(t *testing.T) {
	srv := pgtest.Start(t)
	storetest.Run(t, func(t *testing.T) webhooks.Store {
		t.Helper()
		s, err := pgstore.Open(context.Background(), pgstore.Config{DSN: srv.NewDatabase(t)})
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

// TestTwoNodes has two stores, as two nodes would, share a database: the
// schema is created once, claims never overlap, and a node's expired claims
// go to the other.
func TestTwoNodes(t *testing.T) {
	srv := pgtest.Start(t)
	ctx := context.Background()
	dsn := srv.NewDatabase(t)
	a, err := pgstore.Open(ctx, pgstore.Config{DSN: dsn, MaxConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := pgstore.Open(ctx, pgstore.Config{DSN: dsn})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	t0 := time.Unix(1_800_000_000, 0)
	if err := a.PutEndpoint(ctx, webhooks.Endpoint{ID: "e", URL: "https://crm.example/", Secrets: []string{"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}}); err != nil {
		t.Fatal(err)
	}
	for i, call := range []string{"A", "B", "C"} {
		e := webhooks.Entry{Message: webhooks.Message{ID: "m" + call, CallID: call, Seq: 1, Type: "dtmf", Payload: []byte("{}"), CreatedAt: t0.Add(time.Duration(i))}, EndpointIDs: []string{"e"}}
		if _, err := b.Enqueue(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	req := func(owner string, now time.Time) webhooks.ClaimRequest {
		return webhooks.ClaimRequest{EndpointID: "e", Owner: owner, Now: now, Lease: time.Minute, Limit: 2}
	}
	byA, err := a.Claim(ctx, req("a", t0))
	if err != nil || len(byA) != 2 {
		t.Fatalf("node a claimed %d, %v", len(byA), err)
	}
	byB, err := b.Claim(ctx, req("b", t0))
	if err != nil || len(byB) != 1 || byB[0].CallID != "C" {
		t.Fatalf("node b claimed %+v, %v; want only C", byB, err)
	}
	// Node a dies; after its lease, b takes its deliveries over.
	taken, err := b.Claim(ctx, req("b", t0.Add(time.Minute)))
	if err != nil || len(taken) != 2 || taken[0].ID != byA[0].ID {
		t.Fatalf("takeover = %+v, %v", taken, err)
	}
}

// TestEventLogNotifiesOtherNodes: an event one node appends is announced
// to another node's Watch, which can then read it.
func TestEventLogNotifiesOtherNodes(t *testing.T) {
	srv := pgtest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	dsn := srv.NewDatabase(t)
	a, err := pgstore.Open(ctx, pgstore.Config{DSN: dsn})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := pgstore.Open(ctx, pgstore.Config{DSN: dsn})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	heard := make(chan string, 16)
	watchCtx, stop := context.WithCancel(ctx)
	watched := make(chan error, 1)
	go func() { watched <- b.WatchedEventLog().Watch(watchCtx, func(id string) { heard <- id }) }()
	// LISTEN takes effect once Watch's connection is up: publish until heard.
	e := event.Event{Type: event.DTMF, CallID: "call_x", Digit: "5", Time: time.Unix(1_800_000_000, 0).UTC().Format(time.RFC3339Nano)}
	for seq := uint64(1); ; seq++ {
		e.Seq = seq
		if err := a.WatchedEventLog().Publish(ctx, e); err != nil {
			t.Fatal(err)
		}
		select {
		case id := <-heard:
			if id != "call_x" {
				t.Fatalf("heard %q", id)
			}
			got, err := b.WatchedEventLog().Events(ctx, "call_x", seq, 10)
			if err != nil || len(got) != 1 || got[0].Digit != "5" {
				t.Fatalf("events after the notice: %+v, %v", got, err)
			}
			stop()
			if err := <-watched; err != nil {
				t.Fatalf("Watch ended with %v", err)
			}
			return
		case <-time.After(100 * time.Millisecond):
		case <-ctx.Done():
			t.Fatal("no notice of another node's event")
		}
	}
}
