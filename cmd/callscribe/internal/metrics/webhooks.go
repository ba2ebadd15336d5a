package metrics

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/callscribe/callscribe/webhooks"
)

// webhookCollector exports the dispatcher's Metrics.
func webhookCollector(src WebhookSource) prometheus.Collector {
	type w = webhooks.MetricsSnapshot
	done := prometheus.NewDesc("callscribe_webhook_deliveries_total",
		"Webhook deliveries finished, by outcome: delivered (answered 2xx) or dead (failed their last attempt).", []string{"outcome"}, nil)
	return &snapshots[w]{take: func() w { return src.Metrics().Snapshot() }, stats: []stat[w]{
		counter("callscribe_webhook_events_enqueued_total", "Events stored in the webhook outbox.", func(s w) uint64 { return s.Produced }),
		counter("callscribe_webhook_enqueue_errors_total", "Events the outbox failed to store.", func(s w) uint64 { return s.EnqueueErrors }),
		counter("callscribe_webhook_attempts_total", "Webhook HTTP requests made.", func(s w) uint64 { return s.Attempts }),
		counter("callscribe_webhook_retries_total", "Failed webhook attempts scheduled again.", func(s w) uint64 { return s.Retries }),
		labeled(done, prometheus.CounterValue, "delivered", func(s w) uint64 { return s.Delivered }),
		labeled(done, prometheus.CounterValue, "dead", func(s w) uint64 { return s.DeadLettered }),
		counter("callscribe_webhook_breaker_opens_total", "Webhook endpoint circuit breakers opened.", func(s w) uint64 { return s.BreakerOpens }),
		counter("callscribe_webhook_endpoints_disabled_total", "Webhook endpoints disabled by a 410 answer.", func(s w) uint64 { return s.EndpointsDisabled }),
	}}
}

// backlogCollector asks the store for the webhook backlog at each scrape:
// no counter can give it (see webhooks.Dispatcher.Backlog). A failed or
// slow query leaves the gauge out of that scrape, and is logged.
type backlogCollector struct {
	src     WebhookSource
	timeout time.Duration
}

var _ prometheus.Collector = (*backlogCollector)(nil)

func backlogDesc() *prometheus.Desc {
	return prometheus.NewDesc("callscribe_webhook_backlog",
		"Webhook deliveries pending in the outbox, due or not, of every node sharing the data store.", nil, nil)
}

// Describe implements prometheus.Collector.
func (c *backlogCollector) Describe(ch chan<- *prometheus.Desc) { ch <- backlogDesc() }

// Collect implements prometheus.Collector.
func (c *backlogCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	n, err := c.src.Backlog(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(backlogDesc(), err)
		return
	}
	ch <- prometheus.MustNewConstMetric(backlogDesc(), prometheus.GaugeValue, float64(n))
}
