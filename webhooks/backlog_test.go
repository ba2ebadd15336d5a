package webhooks_test

import (
	"context"
	"testing"

	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/webhooks"
)

// TestBacklog counts one delivery per event the endpoint subscribes to
// while nothing delivers, and none once the dispatcher ran.
func TestBacklog(t *testing.T) {
	ctx := context.Background()
	_, srv := newReceiver(t, nil)
	d := newDispatcher(t, openStore(t), fastConfig(webhooks.EndpointConfig{ID: "crm", URL: srv.URL, Secrets: []string{testSecret}}))
	backlog := func() int {
		t.Helper()
		n, err := d.Backlog(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	want := 0
	for _, ev := range callEvents("CA-1", 3) {
		if err := d.Enqueue(ctx, ev); err != nil {
			t.Fatal(err)
		}
		if ev.WebhookType() != event.WebhookTranscriptPartial {
			want++ // the endpoint takes every event but partials
		}
	}
	if n := backlog(); n != want {
		t.Fatalf("backlog %d before any delivery, want %d", n, want)
	}
	run(t, d)
	waitFor(t, "the backlog to drain", func() bool { return backlog() == 0 })
}
