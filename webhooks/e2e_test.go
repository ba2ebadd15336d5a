package webhooks_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/webhooks"
)

// TestEndToEnd delivers two interleaved calls to a real HTTP receiver that
// fails its first requests (two 500s, then one that never answers) before it
// accepts, and to a second endpoint, created through the admin API, that
// subscribed to partials too.
func TestEndToEnd(t *testing.T) {
	ctx := context.Background()
	crm, crmSrv := newReceiver(t, func(n int) action {
		switch n {
		case 1, 2:
			return fail
		case 3:
			return hang
		}
		return accept
	})
	all, allSrv := newReceiver(t, nil)
	store := openStore(t)
	d := newDispatcher(t, store, fastConfig(webhooks.EndpointConfig{ID: "crm", URL: crmSrv.URL + "/hooks", Secrets: []string{testSecret}}))
	admin := httptest.NewServer(d.AdminHandler())
	defer admin.Close()
	body := `{"url":"` + allSrv.URL + `/all","events":["*"],"secret":"` + testSecret + `"}`
	resp, err := http.Post(admin.URL+"/v1/webhooks/endpoints", "application/json", strings.NewReader(body))
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("create endpoint: %v %v", resp.Status, err)
	}
	resp.Body.Close()
	run(t, d)

	calls := map[string][]*event.Event{"CA-a": callEvents("CA-a", 6), "CA-b": callEvents("CA-b", 5)}
	evs := interleave(calls["CA-a"], calls["CA-b"])
	wantCRM := 0
	for _, ev := range evs {
		if err := d.Enqueue(ctx, ev); err != nil {
			t.Fatal(err)
		}
		if ev.WebhookType() != event.WebhookTranscriptPartial {
			wantCRM++
		}
	}
	waitFor(t, "every event at both endpoints", func() bool {
		a, _, _, _ := crm.snapshot()
		b, _, _, _ := all.snapshot()
		return len(a) >= wantCRM && len(b) >= len(evs)
	})

	waitFor(t, "every delivery recorded", func() bool {
		pending, err := store.Deliveries(ctx, webhooks.DeliveryQuery{Status: webhooks.StatusPending, Limit: 1})
		return err == nil && len(pending) == 0
	})

	got, requests, failures, badSigs := crm.snapshot()
	if badSigs != 0 {
		t.Errorf("%d requests failed signature verification", badSigs)
	}
	if len(got) != wantCRM || failures != 3 || requests != wantCRM+3 {
		t.Errorf("crm: %d accepted (want %d), %d failed (want 3), %d requests", len(got), wantCRM, failures, requests)
	}
	checkOrder(t, got)
	finals := map[string]bool{}
	for _, r := range got {
		switch r.ev.WebhookType() {
		case event.WebhookTranscriptPartial:
			t.Errorf("crm received a partial without subscribing: %s", r.body)
		case event.WebhookTranscriptFinal:
			finals[r.ev.UtteranceID] = true
		case event.WebhookCallEnded:
			if len(r.ev.Transcript) != map[string]int{"CA-a": 6, "CA-b": 5}[r.ev.CallID] {
				t.Errorf("call.ended of %s carries %d utterances", r.ev.CallID, len(r.ev.Transcript))
			}
		}
		var sent *event.Event
		for _, e := range calls[r.ev.CallID] {
			if e.Seq == r.ev.Seq {
				sent = e
			}
		}
		if want, _ := json.Marshal(sent); !bytes.Equal(r.body, want) {
			t.Errorf("payload of %s/%d = %s, want the event JSON %s", r.ev.CallID, r.ev.Seq, r.body, want)
		}
	}
	if len(finals) != 11 {
		t.Errorf("crm received %d distinct finals, want 11", len(finals))
	}
	gotAll, _, _, _ := all.snapshot()
	checkOrder(t, gotAll)

	m := d.Metrics().Snapshot()
	if m.Produced != uint64(len(evs)) || m.Delivered != uint64(wantCRM+len(evs)) || m.Retries != 3 ||
		m.Attempts != m.Delivered+3 || m.DeadLettered != 0 {
		t.Errorf("metrics = %+v", m)
	}
	checkAttempts(t, store)
	t.Logf("produced %d events; crm: %d delivered after %d failed requests; all: %d delivered; metrics %+v",
		len(evs), len(got), failures, len(gotAll), m)
}

// checkOrder asserts that each call's events arrived in Seq order, once.
func checkOrder(t *testing.T, got []received) {
	t.Helper()
	last := map[string]uint64{}
	ids := map[string]bool{}
	for _, r := range got {
		if r.ev.Seq <= last[r.ev.CallID] {
			t.Errorf("call %s: seq %d arrived after %d", r.ev.CallID, r.ev.Seq, last[r.ev.CallID])
		}
		last[r.ev.CallID] = r.ev.Seq
		if ids[r.id] {
			t.Errorf("webhook-id %s delivered twice", r.id)
		}
		ids[r.id] = true
	}
}

// checkAttempts asserts that the failures are on record: two 500s and one
// timeout among the crm's attempts.
func checkAttempts(t *testing.T, store webhooks.Store) {
	t.Helper()
	ds, err := store.Deliveries(context.Background(), webhooks.DeliveryQuery{EndpointID: "crm", Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var codes []int
	timeouts := 0
	for _, dl := range ds {
		if dl.Status != webhooks.StatusDelivered {
			t.Errorf("delivery %d is %s", dl.ID, dl.Status)
		}
		as, err := store.Attempts(context.Background(), dl.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range as {
			codes = append(codes, a.StatusCode)
			if a.StatusCode == 0 && strings.Contains(a.Error, "deadline exceeded") {
				timeouts++
			}
		}
	}
	slices.Sort(codes)
	if timeouts != 1 || len(codes) < 3 || codes[0] != 0 || codes[len(codes)-1] != 500 || codes[len(codes)-2] != 500 {
		t.Errorf("attempt codes %v with %d timeouts; want one timeout and two 500s", codes, timeouts)
	}
}
