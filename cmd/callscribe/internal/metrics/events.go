package metrics

import (
	"context"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/callscribe/callscribe/bridge/call"
	"github.com/callscribe/callscribe/bridge/event"
)

// latencyBuckets span 0.1 s to 30 s: a final waits at least the end
// silence (0.7 s by default) and a first partial the partial interval
// (0.8 s), so most fall between 1 and 4 s, where the buckets are
// densest; past 30 s a live transcript is useless whatever the figure.
func latencyBuckets() []float64 {
	return []float64{0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 2.5, 3, 4, 5, 7.5, 10, 15, 20, 30}
}

// eventMetrics are measured on the events the hub produces and on the
// pipeline's first partials. They carry no labels: per call or per track
// series would grow without bound, and every track runs the same pipeline.
type eventMetrics struct {
	finalLatency, firstPartial  prometheus.Histogram
	utterances, words, partials prometheus.Counter
}

func newEventMetrics() eventMetrics {
	return eventMetrics{
		finalLatency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "callscribe_final_latency_seconds",
			Help:    "Time from the end of speech in the audio to its final transcript leaving the server (the events' latency_ms).",
			Buckets: latencyBuckets(),
		}),
		firstPartial: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "callscribe_first_partial_latency_seconds",
			Help:    "Time from the arrival of an utterance's first audio (its start, pad included) to its first partial transcript.",
			Buckets: latencyBuckets(),
		}),
		utterances: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "callscribe_utterances_total",
			Help: "Final transcripts emitted with text: one per utterance (finals the guards emptied are not counted).",
		}),
		words: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "callscribe_words_total",
			Help: "Words in the final transcripts emitted.",
		}),
		partials: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "callscribe_partials_total",
			Help: "Partial transcripts emitted.",
		}),
	}
}

func (e eventMetrics) collectors() []prometheus.Collector {
	return []prometheus.Collector{e.finalLatency, e.firstPartial, e.utterances, e.words, e.partials}
}

var _ call.Sink = (*Metrics)(nil)

// Publish implements call.Sink: add m to the hub's Sinks. It only counts,
// so it neither blocks the hub nor fails an event.
func (m *Metrics) Publish(_ context.Context, e event.Event) error {
	if e.Type != event.Transcript {
		return nil
	}
	if !e.IsFinal {
		m.events.partials.Inc()
		return nil
	}
	// An emptied final still leaves, to take a preview down: its latency
	// is what the client waited for.
	m.events.finalLatency.Observe(max(float64(e.LatencyMS), 0) / 1000)
	if e.Text == "" {
		return nil
	}
	m.events.utterances.Inc()
	// Counted as the hub counts them for call.ended.
	words := len(e.Words)
	if words == 0 {
		words = len(strings.Fields(e.Text))
	}
	m.events.words.Add(float64(words))
	return nil
}

// FirstPartial observes one utterance's time to first text: set it as
// pipeline.Config.FirstPartial.
func (m *Metrics) FirstPartial(d time.Duration) {
	m.events.firstPartial.Observe(max(d, 0).Seconds())
}
