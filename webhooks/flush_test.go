package webhooks_test

import (
	"context"
	"testing"
	"time"

	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/webhooks"
)

// TestFlushWaitsForWhatIsDue: Flush returns once every event enqueued
// before it reached a receiver that accepts, and does not wait for one
// whose endpoint failed and retries later.
func TestFlushWaitsForWhatIsDue(t *testing.T) {
	ctx := context.Background()
	crm, crmSrv := newReceiver(t, nil)
	down, downSrv := newReceiver(t, func(int) action { return fail })
	store := openStore(t)
	cfg := fastConfig(
		webhooks.EndpointConfig{ID: "crm", URL: crmSrv.URL + "/hooks", Secrets: []string{testSecret}},
		webhooks.EndpointConfig{ID: "down", URL: downSrv.URL + "/hooks", Secrets: []string{testSecret}},
	)
	// Retries of the failing endpoint are far off: Flush must not wait.
	cfg.Schedule = webhooks.Schedule{Steps: []time.Duration{time.Hour}, Repeat: time.Hour, MaxAge: 24 * time.Hour}
	d := newDispatcher(t, store, cfg)
	run(t, d)
	evs := callEvents("CA-flush", 4)
	for _, ev := range evs {
		if err := d.Enqueue(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	fctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := d.Flush(fctx); err != nil {
		t.Fatal(err)
	}
	accepted, _, _, _ := crm.snapshot()
	_, _, failures, _ := down.snapshot()
	if len(accepted) != len(evs)-countPartials(evs) || failures != 1 {
		t.Errorf("after Flush: crm has %d of %d, the failing endpoint was tried %d times (want 1)", len(accepted), len(evs)-countPartials(evs), failures)
	}
}

func countPartials(evs []*event.Event) int {
	n := 0
	for _, e := range evs {
		if e.WebhookType() == event.WebhookTranscriptPartial {
			n++
		}
	}
	return n
}
