// Package storetest is the conformance suite every webhooks.Store
// implementation runs: sqlitestore against a temporary file, pgstore against
// a PostgreSQL server its test starts.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/webhooks"
)

// Opener returns a new, empty store; the suite closes it.
type Opener func(t *testing.T) webhooks.Store

// t0 is the suite's epoch. Stores keep millisecond precision.
var t0 = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

// Run runs every conformance test, each on a fresh store.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s webhooks.Store)
	}{
		{"Endpoints", testEndpoints},
		{"Enqueue", testEnqueue},
		{"ClaimOrder", testClaimOrder},
		{"Lease", testLease},
		{"ConcurrentClaims", testConcurrentClaims},
		{"Attempts", testAttempts},
		{"Requeue", testRequeue},
		{"Deliveries", testDeliveries},
		{"Pending", testPending},
		{"Prune", testPrune},
		{"Transcript", testTranscript},
		{"CallRegistry", testCallRegistry},
		{"ConcurrentOrphans", testConcurrentOrphans},
		{"CallUtterances", testCallUtterances},
		{"AdoptCall", testAdoptCall},
		{"RegistryCalls", testRegistryCalls},
		{"EventLog", testEventLog},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() { s.Close() })
			tc.fn(t, s)
		})
	}
	t.Run("Keys", func(t *testing.T) { RunKeys(t, keyStoreOf(open)) })
}

var ctx = context.Background()

const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

func putEndpoint(t *testing.T, s webhooks.Store, id string) {
	t.Helper()
	e := webhooks.Endpoint{ID: id, URL: "https://crm.example/" + id, Secrets: []string{secret}, CreatedAt: t0}
	if err := s.PutEndpoint(ctx, e); err != nil {
		t.Fatal(err)
	}
}

// enqueue stores one message of call with seq for endpoints and returns the
// message id.
func enqueue(t *testing.T, s webhooks.Store, at time.Time, call string, seq uint64, endpoints ...string) string {
	t.Helper()
	id := fmt.Sprintf("msg_%s_%d", call, seq)
	e := webhooks.Entry{
		Message:     webhooks.Message{ID: id, CallID: call, Seq: seq, Type: event.WebhookTranscriptFinal, Payload: []byte(`{"seq":` + fmt.Sprint(seq) + `}`), CreatedAt: at},
		EndpointIDs: endpoints,
	}
	n, err := s.Enqueue(ctx, e)
	if err != nil {
		t.Fatal(err)
	}
	if n != len(endpoints) {
		t.Fatalf("Enqueue %s created %d deliveries, want %d", id, n, len(endpoints))
	}
	return id
}

func claim(t *testing.T, s webhooks.Store, endpoint, owner string, now time.Time, limit int) []webhooks.Delivery {
	t.Helper()
	ds, err := s.Claim(ctx, webhooks.ClaimRequest{EndpointID: endpoint, Owner: owner, Now: now, Lease: time.Minute, Limit: limit})
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// seqs lists the Seq of each delivery, as "call:seq".
func seqs(ds []webhooks.Delivery) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = fmt.Sprintf("%s:%d", d.CallID, d.Seq)
	}
	return out
}

func complete(t *testing.T, s webhooks.Store, d webhooks.Delivery, owner string, now time.Time, st webhooks.Status, next time.Time, code int) {
	t.Helper()
	c := webhooks.Completion{DeliveryID: d.ID, Owner: owner, Now: now, Status: st, NextAt: next,
		Attempt: &webhooks.Attempt{StartedAt: now, DurationMS: 12, StatusCode: code, Error: fmt.Sprintf("code %d", code), Response: "body"}}
	if err := s.Complete(ctx, c); err != nil {
		t.Fatal(err)
	}
}

func deliveries(t *testing.T, s webhooks.Store, q webhooks.DeliveryQuery) []webhooks.Delivery {
	t.Helper()
	ds, err := s.Deliveries(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: error %v, want %v", what, err, want)
	}
}
