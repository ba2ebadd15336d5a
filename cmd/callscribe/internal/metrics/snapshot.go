package metrics

import "github.com/prometheus/client_golang/prometheus"

// number is what the parts count in.
type number interface {
	~int | ~int64 | ~uint64 | ~float64
}

// stat is one sample read from a snapshot S at scrape time.
type stat[S any] struct {
	desc  *prometheus.Desc
	typ   prometheus.ValueType
	label string // the value of desc's one variable label, if it has one
	value func(S) float64
}

// snapshots exports stats read from one snapshot per scrape, so that the
// samples of one scrape agree with each other (a pool's busy workers and
// its queues, say).
type snapshots[S any] struct {
	take  func() S
	stats []stat[S]
}

// Describe implements prometheus.Collector.
func (c *snapshots[S]) Describe(ch chan<- *prometheus.Desc) {
	seen := map[*prometheus.Desc]bool{}
	for _, s := range c.stats {
		if !seen[s.desc] {
			seen[s.desc] = true
			ch <- s.desc
		}
	}
}

// Collect implements prometheus.Collector.
func (c *snapshots[S]) Collect(ch chan<- prometheus.Metric) {
	snap := c.take()
	for _, s := range c.stats {
		var labels []string
		if s.label != "" {
			labels = []string{s.label}
		}
		ch <- prometheus.MustNewConstMetric(s.desc, s.typ, s.value(snap), labels...)
	}
}

// counter is a counter without labels, read by v.
func counter[S any, N number](name, help string, v func(S) N) stat[S] {
	return stat[S]{desc: prometheus.NewDesc(name, help, nil, nil), typ: prometheus.CounterValue, value: asFloat(v)}
}

// gauge is a gauge without labels, read by v.
func gauge[S any, N number](name, help string, v func(S) N) stat[S] {
	return stat[S]{desc: prometheus.NewDesc(name, help, nil, nil), typ: prometheus.GaugeValue, value: asFloat(v)}
}

// labeled is one series of desc, whose one variable label is label.
func labeled[S any, N number](desc *prometheus.Desc, typ prometheus.ValueType, label string, v func(S) N) stat[S] {
	return stat[S]{desc: desc, typ: typ, label: label, value: asFloat(v)}
}

func asFloat[S any, N number](v func(S) N) func(S) float64 {
	return func(s S) float64 { return float64(v(s)) }
}
