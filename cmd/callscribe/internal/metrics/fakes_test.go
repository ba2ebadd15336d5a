package metrics

import (
	"context"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/callscribe/callscribe/bridge/call"
	"github.com/callscribe/callscribe/bridge/twilio"
	"github.com/callscribe/callscribe/transcribe"
	"github.com/callscribe/callscribe/webhooks"
)

type fakePool struct{ stats transcribe.PoolStats }

func (f *fakePool) Stats() transcribe.PoolStats { return f.stats }

type fakeTracks struct{ open int }

func (f *fakeTracks) OpenTracks() int { return f.open }

type fakeHub struct {
	metrics call.Metrics
	calls   []call.CallSummary
}

func (f *fakeHub) Metrics() *call.Metrics    { return &f.metrics }
func (f *fakeHub) Calls() []call.CallSummary { return f.calls }

type fakeWebhooks struct {
	metrics webhooks.Metrics
	backlog func(ctx context.Context) (int, error)
}

func (f *fakeWebhooks) Metrics() *webhooks.Metrics { return &f.metrics }

func (f *fakeWebhooks) Backlog(ctx context.Context) (int, error) { return f.backlog(ctx) }

// fakeSources are sources with distinct values in every field, so that a
// field read for another shows.
func fakeSources() Sources {
	pool := &fakePool{transcribe.PoolStats{Workers: 4, Busy: 3, BusyPartials: 1, QueuedFinals: 2, QueuedPartials: 5,
		Completed: 100, Failed: 1, Superseded: 7, Dropped: 8, Abandoned: 9, Preempted: 10, Cancelled: 11,
		CoresBusy: 12, Engine: transcribe.EngineSeconds{Final: 13.5, Partial: 14.5, Speculative: 15.5, Wasted: 16.5}}}
	hub := &fakeHub{calls: []call.CallSummary{
		{CallID: "a", OpenStreams: 1},
		{CallID: "b", OpenStreams: 0}, // in grace
		{CallID: "c", Ended: true},
	}}
	for i, c := range []interface{ Add(uint64) uint64 }{&hub.metrics.CallsStarted, &hub.metrics.CallsEnded, &hub.metrics.Reconnects,
		&hub.metrics.EventsEmitted, &hub.metrics.FinalsDeduplicated, &hub.metrics.EventsRejected, &hub.metrics.SubscriberDrops,
		&hub.metrics.SlowSubscriberCloses, &hub.metrics.SinkErrors, &hub.metrics.RegistryErrors, &hub.metrics.CallsRecovered} {
		c.Add(uint64(20 + i))
	}
	wh := &fakeWebhooks{backlog: func(context.Context) (int, error) { return 42, nil }}
	for i, c := range []interface{ Add(uint64) uint64 }{&wh.metrics.Produced, &wh.metrics.EnqueueErrors, &wh.metrics.Attempts,
		&wh.metrics.Delivered, &wh.metrics.Retries, &wh.metrics.DeadLettered, &wh.metrics.BreakerOpens, &wh.metrics.EndpointsDisabled} {
		c.Add(uint64(50 + i))
	}
	tw := &twilio.ServerStats{}
	for i, c := range []interface{ Add(int64) int64 }{&tw.Streams, &tw.Refused, &tw.BadMessages, &tw.IgnoredMedia,
		&tw.Duplicates, &tw.Late, &tw.Reordered} {
		c.Add(int64(70 + i))
	}
	return Sources{Pool: pool, Tracks: &fakeTracks{open: 6}, Hub: hub, Webhooks: wh, Twilio: tw}
}

// newMetrics returns Metrics on a fresh registry.
func newMetrics(t *testing.T, cfg Config) (*Metrics, *prometheus.Registry) {
	t.Helper()
	reg := prometheus.NewRegistry()
	cfg.Registry = reg
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m, reg
}
