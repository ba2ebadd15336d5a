package storetest

import (
	"slices"
	"testing"

	"github.com/callscribe/callscribe/webhooks"
)

func testEndpoints(t *testing.T, s webhooks.Store) {
	putEndpoint(t, s, "zeta")
	e := webhooks.Endpoint{ID: "alpha", URL: "https://a.example/hook", Secrets: []string{secret, secret},
		Events: []string{"transcript.partial"}, Description: "CRM", Static: true, CreatedAt: t0}
	if err := s.PutEndpoint(ctx, e); err != nil {
		t.Fatal(err)
	}
	eps, err := s.Endpoints(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(eps) != 2 || eps[0].ID != "alpha" || eps[1].ID != "zeta" {
		t.Fatalf("Endpoints = %+v, want alpha, zeta", eps)
	}
	got := eps[0]
	if got.URL != e.URL || !slices.Equal(got.Secrets, e.Secrets) || !slices.Equal(got.Events, e.Events) ||
		got.Description != "CRM" || !got.Static || got.Disabled || !got.CreatedAt.Equal(t0) {
		t.Errorf("stored %+v, want %+v", got, e)
	}

	e.URL, e.Events = "https://a.example/v2", nil
	if err := s.PutEndpoint(ctx, e); err != nil {
		t.Fatal(err)
	}
	if err := s.SetEndpointDisabled(ctx, "alpha", true, "410 Gone"); err != nil {
		t.Fatal(err)
	}
	eps, _ = s.Endpoints(ctx)
	if got := eps[0]; got.URL != "https://a.example/v2" || len(got.Events) != 0 || !got.Disabled || got.Reason != "410 Gone" {
		t.Errorf("after update and disable: %+v", got)
	}
	if err := s.SetEndpointDisabled(ctx, "alpha", false, ""); err != nil {
		t.Fatal(err)
	}
	if eps, _ = s.Endpoints(ctx); eps[0].Disabled {
		t.Error("still disabled after enable")
	}
	wantErr(t, "disable missing", s.SetEndpointDisabled(ctx, "nope", true, ""), webhooks.ErrNotFound)
	wantErr(t, "delete missing", s.DeleteEndpoint(ctx, "nope"), webhooks.ErrNotFound)

	// Deleting an endpoint deletes its deliveries and their attempts.
	enqueue(t, s, t0, "CA1", 1, "alpha", "zeta")
	d := claim(t, s, "alpha", "n1", t0, 1)[0]
	complete(t, s, d, "n1", t0, webhooks.StatusPending, t0.Add(1e9), 500)
	if err := s.DeleteEndpoint(ctx, "alpha"); err != nil {
		t.Fatal(err)
	}
	if ds := deliveries(t, s, webhooks.DeliveryQuery{CallID: "CA1"}); len(ds) != 1 || ds[0].EndpointID != "zeta" {
		t.Errorf("deliveries after delete = %+v, want only zeta's", ds)
	}
	if as, err := s.Attempts(ctx, d.ID); err != nil || len(as) != 0 {
		t.Errorf("attempts of deleted delivery = %v, %v", as, err)
	}
	if eps, _ = s.Endpoints(ctx); len(eps) != 1 {
		t.Errorf("endpoints after delete = %+v", eps)
	}
}
