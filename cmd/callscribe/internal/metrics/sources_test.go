package metrics

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

// TestWatchExportsEverySource reads every field of every source into its
// metric, with its name, type, labels and value.
func TestWatchExportsEverySource(t *testing.T) {
	m, reg := newMetrics(t, Config{})
	if err := m.Watch(fakeSources()); err != nil {
		t.Fatal(err)
	}
	want := `
# HELP callscribe_calls_active Calls not ended: open, or waiting for their stream to reconnect.
# TYPE callscribe_calls_active gauge
callscribe_calls_active 2
# HELP callscribe_streams_active Streams open on the calls not ended.
# TYPE callscribe_streams_active gauge
callscribe_streams_active 1
# HELP callscribe_calls_started_total Calls started (call.started emitted).
# TYPE callscribe_calls_started_total counter
callscribe_calls_started_total 20
# HELP callscribe_calls_ended_total Calls ended (call.ended emitted).
# TYPE callscribe_calls_ended_total counter
callscribe_calls_ended_total 21
# HELP callscribe_call_reconnects_total Streams that continued an existing call.
# TYPE callscribe_call_reconnects_total counter
callscribe_call_reconnects_total 22
# HELP callscribe_events_emitted_total Events numbered and handed to sinks and subscribers, call.started and call.ended included.
# TYPE callscribe_events_emitted_total counter
callscribe_events_emitted_total 23
# HELP callscribe_finals_deduplicated_total Finals dropped because their utterance was already final.
# TYPE callscribe_finals_deduplicated_total counter
callscribe_finals_deduplicated_total 24
# HELP callscribe_events_rejected_total Events the hub refused: after call.ended, or partials of an utterance already final.
# TYPE callscribe_events_rejected_total counter
callscribe_events_rejected_total 25
# HELP callscribe_subscriber_drops_total Partials lost by event subscribers whose queue was full.
# TYPE callscribe_subscriber_drops_total counter
callscribe_subscriber_drops_total 26
# HELP callscribe_subscriber_slow_closes_total Event subscriptions ended for falling too far behind.
# TYPE callscribe_subscriber_slow_closes_total counter
callscribe_subscriber_slow_closes_total 27
# HELP callscribe_sink_errors_total Events a sink (the webhook outbox) failed to take.
# TYPE callscribe_sink_errors_total counter
callscribe_sink_errors_total 28
# HELP callscribe_call_registry_errors_total Failed calls to the registry of open calls in the data store.
# TYPE callscribe_call_registry_errors_total counter
callscribe_call_registry_errors_total 29
# HELP callscribe_calls_recovered_total Orphaned calls of a stopped node that this node ended.
# TYPE callscribe_calls_recovered_total counter
callscribe_calls_recovered_total 30
# HELP callscribe_tracks_active Audio tracks open in the live pipeline.
# TYPE callscribe_tracks_active gauge
callscribe_tracks_active 6
# HELP callscribe_pool_workers Decoder workers, each with its own whisper.cpp state.
# TYPE callscribe_pool_workers gauge
callscribe_pool_workers 4
# HELP callscribe_pool_busy_workers Workers decoding now.
# TYPE callscribe_pool_busy_workers gauge
callscribe_pool_busy_workers 3
# HELP callscribe_pool_queue_depth Decode jobs waiting for a worker, by queue: final, or partial (partials and speculative finals).
# TYPE callscribe_pool_queue_depth gauge
callscribe_pool_queue_depth{queue="final"} 2
callscribe_pool_queue_depth{queue="partial"} 5
# HELP callscribe_pool_jobs_total Decode jobs by outcome: completed, failed, cancelled (the submitter gave up while it ran), preempted (a running partial or speculative final aborted for a final; one that finished first is also completed), superseded (a waiting partial replaced by a newer one), dropped (the partial queue was full), abandoned (the submitter gave up before a worker took it).
# TYPE callscribe_pool_jobs_total counter
callscribe_pool_jobs_total{outcome="completed"} 100
callscribe_pool_jobs_total{outcome="failed"} 1
callscribe_pool_jobs_total{outcome="superseded"} 7
callscribe_pool_jobs_total{outcome="dropped"} 8
callscribe_pool_jobs_total{outcome="abandoned"} 9
callscribe_pool_jobs_total{outcome="preempted"} 10
callscribe_pool_jobs_total{outcome="cancelled"} 11
# HELP callscribe_pool_cores_busy CPU cores the running decodes use (a decode takes as many as its threads).
# TYPE callscribe_pool_cores_busy gauge
callscribe_pool_cores_busy 12
# HELP callscribe_pool_decode_cpu_seconds_total CPU seconds the decodes took, by kind: final, partial, speculative; wasted counts, within those, decodes preempted, cancelled or failed.
# TYPE callscribe_pool_decode_cpu_seconds_total counter
callscribe_pool_decode_cpu_seconds_total{kind="final"} 13.5
callscribe_pool_decode_cpu_seconds_total{kind="partial"} 14.5
callscribe_pool_decode_cpu_seconds_total{kind="speculative"} 15.5
callscribe_pool_decode_cpu_seconds_total{kind="wasted"} 16.5
# HELP callscribe_webhook_events_enqueued_total Events stored in the webhook outbox.
# TYPE callscribe_webhook_events_enqueued_total counter
callscribe_webhook_events_enqueued_total 50
# HELP callscribe_webhook_enqueue_errors_total Events the outbox failed to store.
# TYPE callscribe_webhook_enqueue_errors_total counter
callscribe_webhook_enqueue_errors_total 51
# HELP callscribe_webhook_attempts_total Webhook HTTP requests made.
# TYPE callscribe_webhook_attempts_total counter
callscribe_webhook_attempts_total 52
# HELP callscribe_webhook_deliveries_total Webhook deliveries finished, by outcome: delivered (answered 2xx) or dead (failed their last attempt).
# TYPE callscribe_webhook_deliveries_total counter
callscribe_webhook_deliveries_total{outcome="delivered"} 53
callscribe_webhook_deliveries_total{outcome="dead"} 55
# HELP callscribe_webhook_retries_total Failed webhook attempts scheduled again.
# TYPE callscribe_webhook_retries_total counter
callscribe_webhook_retries_total 54
# HELP callscribe_webhook_breaker_opens_total Webhook endpoint circuit breakers opened.
# TYPE callscribe_webhook_breaker_opens_total counter
callscribe_webhook_breaker_opens_total 56
# HELP callscribe_webhook_endpoints_disabled_total Webhook endpoints disabled by a 410 answer.
# TYPE callscribe_webhook_endpoints_disabled_total counter
callscribe_webhook_endpoints_disabled_total 57
# HELP callscribe_webhook_backlog Webhook deliveries pending in the outbox, due or not, of every node sharing the data store.
# TYPE callscribe_webhook_backlog gauge
callscribe_webhook_backlog 42
# HELP callscribe_twilio_streams_total Twilio media streams started.
# TYPE callscribe_twilio_streams_total counter
callscribe_twilio_streams_total 70
# HELP callscribe_twilio_streams_refused_total Twilio media streams refused by admission (the server at capacity).
# TYPE callscribe_twilio_streams_refused_total counter
callscribe_twilio_streams_refused_total 71
# HELP callscribe_twilio_messages_bad_total Twilio stream messages that could not be used.
# TYPE callscribe_twilio_messages_bad_total counter
callscribe_twilio_messages_bad_total 72
# HELP callscribe_twilio_media_ignored_total Twilio media messages for a track the stream did not open.
# TYPE callscribe_twilio_media_ignored_total counter
callscribe_twilio_media_ignored_total 73
# HELP callscribe_twilio_frames_duplicate_total Twilio media frames dropped as duplicates of audio already placed.
# TYPE callscribe_twilio_frames_duplicate_total counter
callscribe_twilio_frames_duplicate_total 74
# HELP callscribe_twilio_frames_late_total Twilio media frames dropped for arriving after their place in the audio was passed.
# TYPE callscribe_twilio_frames_late_total counter
callscribe_twilio_frames_late_total 75
# HELP callscribe_twilio_frames_reordered_total Twilio media frames that arrived out of order and were put back in place.
# TYPE callscribe_twilio_frames_reordered_total counter
callscribe_twilio_frames_reordered_total 76
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), names(want)...); err != nil {
		t.Error(err)
	}
}

// names lists the metric names an exposition text declares.
func names(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		if f := strings.Fields(line); len(f) >= 3 && f[1] == "TYPE" {
			out = append(out, f[2])
		}
	}
	return out
}

// TestNilSourcesAreSkipped: a missing part has no series at all, rather
// than zeros that would look like an idle part.
func TestNilSourcesAreSkipped(t *testing.T) {
	m, reg := newMetrics(t, Config{})
	src := fakeSources()
	if err := m.Watch(Sources{Pool: src.Pool}); err != nil {
		t.Fatal(err)
	}
	if n, err := testutil.GatherAndCount(reg, "callscribe_calls_active", "callscribe_webhook_backlog", "callscribe_twilio_streams_total",
		"callscribe_tracks_active"); err != nil || n != 0 {
		t.Errorf("%d series of sources not given (err %v)", n, err)
	}
	if n, err := testutil.GatherAndCount(reg, "callscribe_pool_workers"); err != nil || n != 1 {
		t.Errorf("pool: %d series, err %v", n, err)
	}
	// A source watched twice would be counted twice.
	if err := m.Watch(Sources{Pool: src.Pool}); err == nil {
		t.Error("the pool watched twice")
	}
}

// TestBacklogFailureKeepsTheRest: a store that fails or hangs costs the
// backlog gauge of that scrape, not the scrape, and is logged.
func TestBacklogFailureKeepsTheRest(t *testing.T) {
	var logs bytes.Buffer
	m, reg := newMetrics(t, Config{BacklogTimeout: 50 * time.Millisecond, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	src := fakeSources()
	storeDown := errors.New("store down")
	src.Webhooks.(*fakeWebhooks).backlog = func(ctx context.Context) (int, error) {
		<-ctx.Done() // a hung store: the timeout ends the wait
		return 0, errors.Join(storeDown, ctx.Err())
	}
	if err := m.Watch(src); err != nil {
		t.Fatal(err)
	}
	if _, err := reg.Gather(); !errors.Is(err, storeDown) {
		t.Errorf("Gather error %v, want the store's", err)
	}
	body := scrape(t, m)
	if strings.Contains(body, "callscribe_webhook_backlog ") || !strings.Contains(body, "callscribe_webhook_attempts_total 52") {
		t.Errorf("scrape with the store down:\n%s", body)
	}
	if !strings.Contains(logs.String(), "store down") {
		t.Errorf("the failure was not logged: %q", logs.String())
	}
}
