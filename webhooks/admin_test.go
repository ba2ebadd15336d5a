package webhooks_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/webhooks"
)

// api calls the admin handler and decodes a JSON answer into out (if not
// nil). It returns the status and the raw body.
func api(t *testing.T, h http.Handler, method, path, body string, out any) (int, string) {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	raw, _ := io.ReadAll(rec.Body)
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: %d %s: %v", method, path, rec.Code, raw, err)
		}
	}
	return rec.Code, string(raw)
}

func TestAdminEndpoints(t *testing.T) {
	store := openStore(t)
	cfg := fastConfig(webhooks.EndpointConfig{ID: "static-crm", URL: "https://crm.example/hook", Secrets: []string{testSecret}})
	cfg.SelfAddrs = []string{":9999", "api.callscribe.test:443"}
	h := newDispatcher(t, store, cfg).AdminHandler()

	var created struct {
		webhooks.Endpoint
		Secret string `json:"secret"`
	}
	code, raw := api(t, h, "POST", "/v1/webhooks/endpoints", `{"url":"https://other.example/in","description":"sales"}`, &created)
	if code != http.StatusCreated || !strings.HasPrefix(created.ID, "ep_") || !strings.HasPrefix(created.Secret, "whsec_") ||
		strings.Join(created.Events, ",") != strings.Join(webhooks.DefaultEvents, ",") {
		t.Fatalf("create = %d %s", code, raw)
	}
	for body, msg := range map[string]string{
		`{"url":"not a url"}`:                            "scheme must be http or https",
		`{"url":"ftp://files.example/"}`:                 "scheme must be http or https",
		`{"url":"http://"}`:                              "no host",
		`{"url":"http://127.0.0.1:9999/loop"}`:           "points at this service",
		`{"url":"https://api.callscribe.test/x"}`:        "points at this service",
		`{"url":"https://a.example/","events":["nope"]}`: "unknown event",
		`{"url":"https://a.example/","secret":"abc"}`:    "invalid secret",
		`{"url":"https://a.example/","extra":1}`:         "unknown field",
		`{"url":`:                                        "body",
	} {
		var e struct{ Error string }
		if code, raw := api(t, h, "POST", "/v1/webhooks/endpoints", body, &e); code != http.StatusBadRequest || !strings.Contains(e.Error, msg) {
			t.Errorf("create %s = %d %s, want 400 mentioning %q", body, code, raw, msg)
		}
	}

	var list struct{ Endpoints []webhooks.Endpoint }
	_, raw = api(t, h, "GET", "/v1/webhooks/endpoints", "", &list)
	if len(list.Endpoints) != 2 || strings.Contains(raw, "whsec_") {
		t.Errorf("list = %s (want two endpoints, no secrets)", raw)
	}
	if code, _ := api(t, h, "DELETE", "/v1/webhooks/endpoints/static-crm", "", nil); code != http.StatusConflict {
		t.Errorf("delete static = %d, want 409", code)
	}
	if err := store.SetEndpointDisabled(context.Background(), created.ID, true, "410 Gone"); err != nil {
		t.Fatal(err)
	}
	var enabled webhooks.Endpoint
	if code, raw := api(t, h, "POST", "/v1/webhooks/endpoints/"+created.ID+"/enable", "", &enabled); code != http.StatusOK || enabled.Disabled {
		t.Errorf("enable = %d %s", code, raw)
	}
	if code, _ := api(t, h, "DELETE", "/v1/webhooks/endpoints/"+created.ID, "", nil); code != http.StatusNoContent {
		t.Errorf("delete = %d, want 204", code)
	}
	if code, _ := api(t, h, "DELETE", "/v1/webhooks/endpoints/"+created.ID, "", nil); code != http.StatusNotFound {
		t.Errorf("second delete = %d, want 404", code)
	}
}

func TestAdminDeliveries(t *testing.T) {
	ctx := context.Background()
	store := openStore(t)
	d := newDispatcher(t, store, fastConfig(webhooks.EndpointConfig{ID: "crm", URL: "https://crm.example/hook", Secrets: []string{testSecret}}))
	h := d.AdminHandler()
	for _, ev := range callEvents("CA-9", 1) { // started, final, dtmf, ended (partials filtered)
		if err := d.Enqueue(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	// Stand in for the dispatcher: the first delivery fails for good.
	now := time.Now()
	claimed, err := store.Claim(ctx, webhooks.ClaimRequest{EndpointID: "crm", Owner: "test", Now: now, Lease: time.Minute, Limit: 1})
	if err != nil || len(claimed) != 1 {
		t.Fatalf("claim: %v %v", claimed, err)
	}
	first := claimed[0]
	err = store.Complete(ctx, webhooks.Completion{DeliveryID: first.ID, Owner: "test", Now: now, Status: webhooks.StatusDead,
		Attempt: &webhooks.Attempt{StartedAt: now, DurationMS: 7, StatusCode: 503, Error: "status 503"}})
	if err != nil {
		t.Fatal(err)
	}

	var list struct{ Deliveries []webhooks.Delivery }
	api(t, h, "GET", "/v1/webhooks/deliveries?call_id=CA-9", "", &list)
	if len(list.Deliveries) != 4 || list.Deliveries[0].Type != event.WebhookCallStarted {
		t.Fatalf("deliveries of CA-9 = %+v", list.Deliveries)
	}
	api(t, h, "GET", "/v1/webhooks/deliveries?call_id=CA-9&status=dead", "", &list)
	if len(list.Deliveries) != 1 || list.Deliveries[0].ID != first.ID || list.Deliveries[0].LastStatusCode != 503 {
		t.Errorf("dead deliveries = %+v", list.Deliveries)
	}
	var attempts struct{ Attempts []webhooks.Attempt }
	api(t, h, "GET", fmt.Sprintf("/v1/webhooks/deliveries/%d/attempts", first.ID), "", &attempts)
	if len(attempts.Attempts) != 1 || attempts.Attempts[0].StatusCode != 503 || attempts.Attempts[0].DurationMS != 7 {
		t.Errorf("attempts = %+v", attempts.Attempts)
	}
	for path, want := range map[string]int{
		"/v1/webhooks/deliveries?status=lost":     http.StatusBadRequest,
		"/v1/webhooks/deliveries?limit=0":         http.StatusBadRequest,
		"/v1/webhooks/deliveries/abc/attempts":    http.StatusBadRequest,
		"/v1/webhooks/deliveries/999999/attempts": http.StatusNotFound,
		"/v1/webhooks/deliveries?limit=2&after=1": http.StatusOK,
		"/v1/webhooks/metrics":                    http.StatusOK,
	} {
		if code, raw := api(t, h, "GET", path, "", nil); code != want {
			t.Errorf("GET %s = %d %s, want %d", path, code, raw, want)
		}
	}

	var requeued struct{ Requeued int }
	retry := fmt.Sprintf("/v1/webhooks/deliveries/%d/retry", first.ID)
	if code, raw := api(t, h, "POST", retry, "", &requeued); code != http.StatusAccepted || requeued.Requeued != 1 {
		t.Errorf("retry = %d %s", code, raw)
	}
	// Claimed again (in flight): a retry now is a conflict.
	if _, err := store.Claim(ctx, webhooks.ClaimRequest{EndpointID: "crm", Owner: "test", Now: time.Now(), Lease: time.Minute, Limit: 1}); err != nil {
		t.Fatal(err)
	}
	if code, _ := api(t, h, "POST", retry, "", nil); code != http.StatusConflict {
		t.Errorf("retry in flight = %d, want 409", code)
	}
	if code, _ := api(t, h, "POST", "/v1/webhooks/deliveries/999999/retry", "", nil); code != http.StatusNotFound {
		t.Errorf("retry unknown = %d, want 404", code)
	}
	// By call: the three pending deliveries not in flight, restarted.
	if code, raw := api(t, h, "POST", "/v1/webhooks/calls/CA-9/retry", "", &requeued); code != http.StatusAccepted || requeued.Requeued != 3 {
		t.Errorf("retry call = %d %s, want 3", code, raw)
	}
	if code, raw := api(t, h, "POST", "/v1/webhooks/calls/CA-9/retry?status=dead", "", &requeued); code != http.StatusAccepted || requeued.Requeued != 0 {
		t.Errorf("retry dead of call = %d %s, want 0", code, raw)
	}
	if code, _ := api(t, h, "POST", "/v1/webhooks/calls/CA-9/retry?status=x", "", nil); code != http.StatusBadRequest {
		t.Errorf("retry call with bad status = %d, want 400", code)
	}
}
