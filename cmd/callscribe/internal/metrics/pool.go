package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/callscribe/callscribe/transcribe"
)

type poolStat = stat[transcribe.PoolStats]

// poolCollector exports the decoder pool's PoolStats. The pool counts
// jobs by outcome, not by kind, so the outcomes carry no kind label.
func poolCollector(src PoolSource) prometheus.Collector {
	queue := prometheus.NewDesc("callscribe_pool_queue_depth",
		"Decode jobs waiting for a worker, by queue: final, or partial (partials and speculative finals).", []string{"queue"}, nil)
	jobs := prometheus.NewDesc("callscribe_pool_jobs_total",
		"Decode jobs by outcome: completed, failed, cancelled (the submitter gave up while it ran), "+
			"preempted (a running partial or speculative final aborted for a final; one that finished first is also completed), "+
			"superseded (a waiting partial replaced by a newer one), dropped (the partial queue was full), "+
			"abandoned (the submitter gave up before a worker took it).", []string{"outcome"}, nil)
	engine := prometheus.NewDesc("callscribe_pool_decode_cpu_seconds_total",
		"CPU seconds the decodes took, by kind: final, partial, speculative; wasted counts, within those, decodes preempted, cancelled or failed.",
		[]string{"kind"}, nil)
	count := func(outcome string, v func(transcribe.PoolStats) uint64) poolStat {
		return labeled(jobs, prometheus.CounterValue, outcome, v)
	}
	return &snapshots[transcribe.PoolStats]{take: src.Stats, stats: []poolStat{
		gauge("callscribe_pool_workers", "Decoder workers, each with its own whisper.cpp state.", func(s transcribe.PoolStats) int { return s.Workers }),
		gauge("callscribe_pool_busy_workers", "Workers decoding now.", func(s transcribe.PoolStats) int { return s.Busy }),
		labeled(queue, prometheus.GaugeValue, "final", func(s transcribe.PoolStats) int { return s.QueuedFinals }),
		labeled(queue, prometheus.GaugeValue, "partial", func(s transcribe.PoolStats) int { return s.QueuedPartials }),
		count("completed", func(s transcribe.PoolStats) uint64 { return s.Completed }),
		count("failed", func(s transcribe.PoolStats) uint64 { return s.Failed }),
		count("cancelled", func(s transcribe.PoolStats) uint64 { return s.Cancelled }),
		count("preempted", func(s transcribe.PoolStats) uint64 { return s.Preempted }),
		count("superseded", func(s transcribe.PoolStats) uint64 { return s.Superseded }),
		count("dropped", func(s transcribe.PoolStats) uint64 { return s.Dropped }),
		count("abandoned", func(s transcribe.PoolStats) uint64 { return s.Abandoned }),
		gauge("callscribe_pool_cores_busy", "CPU cores the running decodes use (a decode takes as many as its threads).", func(s transcribe.PoolStats) int { return s.CoresBusy }),
		labeled(engine, prometheus.CounterValue, "final", func(s transcribe.PoolStats) float64 { return s.Engine.Final }),
		labeled(engine, prometheus.CounterValue, "partial", func(s transcribe.PoolStats) float64 { return s.Engine.Partial }),
		labeled(engine, prometheus.CounterValue, "speculative", func(s transcribe.PoolStats) float64 { return s.Engine.Speculative }),
		labeled(engine, prometheus.CounterValue, "wasted", func(s transcribe.PoolStats) float64 { return s.Engine.Wasted }),
	}}
}
