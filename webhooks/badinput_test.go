package webhooks_test

import (
	"context"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/callscribe/callscribe/webhooks"
)

// TestBadEndpoints runs one healthy endpoint beside endpoints that are
// unreachable, never answer, redirect, fail TLS, answer 500, answer with a
// huge body, or answer 410. Each gets its defined outcome, and none delays
// the healthy endpoint.
func TestBadEndpoints(t *testing.T) {
	ctx := context.Background()
	good, goodSrv := newReceiver(t, nil)
	_, slowSrv := newReceiver(t, func(int) action { return hang })
	_, failSrv := newReceiver(t, func(int) action { return fail })
	gone, goneSrv := newReceiver(t, func(int) action { return goneAct })

	var redirectTargetHits atomic.Int64
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { redirectTargetHits.Add(1) }))
	defer target.Close()
	redirect := httptest.NewServer(http.RedirectHandler(target.URL, http.StatusFound))
	defer redirect.Close()
	tlsSrv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0) // handshake failures are expected
	tlsSrv.StartTLS()
	defer tlsSrv.Close()
	huge := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		chunk := []byte(strings.Repeat("x", 64<<10))
		for range 128 { // 8 MiB, more than anyone should read
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	defer huge.Close()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	unreachable := "http://" + l.Addr().String() + "/"
	l.Close()

	ep := func(id, url string) webhooks.EndpointConfig {
		return webhooks.EndpointConfig{ID: id, URL: url, Secrets: []string{testSecret}}
	}
	cfg := fastConfig(ep("good", goodSrv.URL), ep("unreachable", unreachable), ep("slow", slowSrv.URL),
		ep("redirect", redirect.URL), ep("tls", tlsSrv.URL), ep("fail", failSrv.URL), ep("huge", huge.URL), ep("gone", goneSrv.URL))
	cfg.Concurrency, cfg.BreakerThreshold, cfg.BreakerCooldown, cfg.MaxResponseBytes = 1, 2, 200*time.Millisecond, 1024
	// Long enough for a TLS handshake to fail on its certificate under
	// -race on a loaded machine (300 ms timed out first in CI), short
	// enough for the never-answering endpoint to time out quickly.
	cfg.RequestTimeout = 2 * time.Second
	store := openStore(t)
	d := newDispatcher(t, store, cfg)
	run(t, d)

	evs := interleave(callEvents("CA-1", 3), callEvents("CA-2", 3))
	want := 0
	for _, ev := range evs {
		if err := d.Enqueue(ctx, ev); err != nil {
			t.Fatal(err)
		}
		if ev.WebhookType() != "transcript.partial" {
			want++
		}
	}
	delivered := func(endpoint string) int {
		ds, err := store.Deliveries(ctx, webhooks.DeliveryQuery{EndpointID: endpoint, Status: webhooks.StatusDelivered, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		return len(ds)
	}
	waitFor(t, "the healthy and the huge-body endpoints", func() bool {
		return delivered("good") == want && delivered("huge") == want
	})
	got, _, _, _ := good.snapshot()
	checkOrder(t, got)

	// Let the failing endpoints go through a few retries and breaker trips.
	waitFor(t, "breakers to open", func() bool { return d.Metrics().BreakerOpens.Load() >= 3 })

	lastAttempt := func(endpoint string) webhooks.Attempt {
		as := firstAttempts(store, endpoint)
		if len(as) == 0 {
			t.Fatalf("%s: no attempt recorded", endpoint)
		}
		return as[len(as)-1]
	}
	for endpoint, want := range map[string]struct {
		code int
		err  string
	}{
		"unreachable": {0, "connection refused"},
		"slow":        {0, "deadline exceeded"},
		"redirect":    {302, "not followed"},
		"tls":         {0, "certificate"},
		"fail":        {500, "status 500"},
		"gone":        {410, "status 410"},
	} {
		waitFor(t, endpoint+" attempted", func() bool { return len(firstAttempts(store, endpoint)) > 0 })
		if n := delivered(endpoint); n != 0 {
			t.Errorf("%s: %d deliveries succeeded", endpoint, n)
		}
		a := lastAttempt(endpoint)
		if a.StatusCode != want.code || !strings.Contains(a.Error, want.err) {
			t.Errorf("%s: attempt %+v, want status %d and error containing %q", endpoint, a, want.code, want.err)
		}
	}
	if a := lastAttempt("huge"); a.StatusCode != http.StatusOK || len(a.Response) > 512 {
		t.Errorf("huge: attempt status %d, %d response bytes kept", a.StatusCode, len(a.Response))
	}
	if n := redirectTargetHits.Load(); n != 0 {
		t.Errorf("redirect followed %d times", n)
	}
	eps, _ := store.Endpoints(ctx)
	for _, e := range eps {
		if e.Disabled != (e.ID == "gone") {
			t.Errorf("endpoint %s disabled = %v (%s)", e.ID, e.Disabled, e.Reason)
		}
	}
	if _, requests, _, _ := gone.snapshot(); requests != 1 {
		t.Errorf("410 endpoint got %d requests, want 1", requests)
	}
	m := d.Metrics().Snapshot()
	if m.EndpointsDisabled != 1 || m.Delivered != uint64(2*want) {
		t.Errorf("metrics = %+v", m)
	}
	t.Logf("metrics %+v", m)
}

// firstAttempts lists the attempts of the endpoint's first delivery.
func firstAttempts(store webhooks.Store, endpoint string) []webhooks.Attempt {
	ds, err := store.Deliveries(context.Background(), webhooks.DeliveryQuery{EndpointID: endpoint, Limit: 1})
	if err != nil || len(ds) == 0 {
		return nil
	}
	as, _ := store.Attempts(context.Background(), ds[0].ID)
	return as
}
