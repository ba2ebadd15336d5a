package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/callscribe/callscribe/bridge/call"
)

// hubSnapshot is the hub's counters and what its call list adds.
type hubSnapshot struct {
	call.MetricsSnapshot
	// active counts calls not ended yet: open, or waiting in the
	// reconnect grace; streams counts their open streams.
	active, streams int
}

func takeHub(src HubSource) func() hubSnapshot {
	return func() hubSnapshot {
		s := hubSnapshot{MetricsSnapshot: src.Metrics().Snapshot()}
		for _, c := range src.Calls() {
			// A call another node holds counts there, not here.
			if !c.Ended && !c.Followed {
				s.active++
				s.streams += c.OpenStreams
			}
		}
		return s
	}
}

// hubCollector exports the call hub's Metrics and the calls it keeps.
func hubCollector(src HubSource) prometheus.Collector {
	type h = hubSnapshot
	return &snapshots[h]{take: takeHub(src), stats: []stat[h]{
		gauge("callscribe_calls_active", "Calls not ended: open, or waiting for their stream to reconnect.", func(s h) int { return s.active }),
		gauge("callscribe_streams_active", "Streams open on the calls not ended.", func(s h) int { return s.streams }),
		counter("callscribe_calls_started_total", "Calls started (call.started emitted).", func(s h) uint64 { return s.CallsStarted }),
		counter("callscribe_calls_ended_total", "Calls ended (call.ended emitted).", func(s h) uint64 { return s.CallsEnded }),
		counter("callscribe_calls_recovered_total", "Orphaned calls of a stopped node that this node ended.", func(s h) uint64 { return s.CallsRecovered }),
		counter("callscribe_call_reconnects_total", "Streams that continued an existing call.", func(s h) uint64 { return s.Reconnects }),
		counter("callscribe_events_emitted_total", "Events numbered and handed to sinks and subscribers, call.started and call.ended included.", func(s h) uint64 { return s.EventsEmitted }),
		counter("callscribe_events_rejected_total", "Events the hub refused: after call.ended, or partials of an utterance already final.", func(s h) uint64 { return s.EventsRejected }),
		counter("callscribe_finals_deduplicated_total", "Finals dropped because their utterance was already final.", func(s h) uint64 { return s.FinalsDeduplicated }),
		counter("callscribe_subscriber_drops_total", "Partials lost by event subscribers whose queue was full.", func(s h) uint64 { return s.SubscriberDrops }),
		counter("callscribe_subscriber_slow_closes_total", "Event subscriptions ended for falling too far behind.", func(s h) uint64 { return s.SlowSubscriberCloses }),
		counter("callscribe_sink_errors_total", "Events a sink (the webhook outbox) failed to take.", func(s h) uint64 { return s.SinkErrors }),
		counter("callscribe_call_registry_errors_total", "Failed calls to the registry of open calls in the data store.", func(s h) uint64 { return s.RegistryErrors }),
	}}
}
