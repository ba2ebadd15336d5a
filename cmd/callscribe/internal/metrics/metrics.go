// Package metrics exports callscribe's state to Prometheus, on a registry
// the service makes (no global one). Three kinds of source feed it:
//
//   - counters the parts already keep (the pool's PoolStats, the hub's and
//     the webhook dispatcher's Metrics, the Twilio server's ServerStats),
//     read at scrape time through the small interfaces in sources.go, so
//     no part imports Prometheus and no number is counted twice;
//   - the events themselves, through Publish, a call.Sink the hub calls
//     for every event: final latency, utterances, words, partials;
//   - calls other packages make: FirstPartial (the pipeline's time to
//     first text) and Refused (a request or stream turned away).
package metrics

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/callscribe/callscribe/bridge/config"
)

// Config says where the metrics go and what the build is.
type Config struct {
	// Registry receives every collector. Required: the service makes its
	// own, so that tests and several services in one process never share
	// one.
	Registry *prometheus.Registry
	// Version labels callscribe_build_info. Default: the main module's
	// version in the binary's build information, "(devel)" in a checkout.
	Version string
	// Whisper labels callscribe_build_info with the whisper.cpp version
	// linked in. Default "unknown": this package does not link it.
	Whisper string
	// BacklogTimeout bounds the store query behind callscribe_webhook_backlog
	// in one scrape. Default 2 s.
	BacklogTimeout time.Duration
	// Logger receives scrape errors. Default slog.Default().
	Logger *slog.Logger
}

// WithDefaults returns c with every zero field set to its default.
func (c Config) WithDefaults() Config {
	config.Default(&c.Version, moduleVersion())
	config.Default(&c.Whisper, "unknown")
	config.Default(&c.BacklogTimeout, 2*time.Second)
	c.Logger = config.Logger(c.Logger)
	return c
}

// Validate reports what is wrong with c once defaults are applied,
// wrapping ErrBadConfig.
func (c Config) Validate() error {
	c = c.WithDefaults()
	var p config.Problems
	if c.Registry == nil {
		p.Addf("Registry is required")
	}
	p.Positive("BacklogTimeout", c.BacklogTimeout)
	return p.Err(ErrBadConfig)
}

// Metrics holds the collectors fed by events and calls, and serves the
// registry. Its methods are safe for concurrent use.
type Metrics struct {
	cfg     Config
	events  eventMetrics
	refused *prometheus.CounterVec
	handler http.Handler
}

// New registers on cfg.Registry the Go runtime and process collectors,
// callscribe_build_info, the event histograms and counters, and the
// refusals; the parts' own counters follow with Watch, once they exist.
func New(cfg Config) (*Metrics, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.WithDefaults()
	m := &Metrics{cfg: cfg, events: newEventMetrics(), refused: newRefusals()}
	cs := []prometheus.Collector{
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		buildInfo(cfg.Version, cfg.Whisper),
		m.refused,
	}
	cs = append(cs, m.events.collectors()...)
	if err := register(cfg.Registry, cs...); err != nil {
		return nil, err
	}
	// Made once: the handler registers its own error counter.
	m.handler = promhttp.HandlerFor(cfg.Registry, promhttp.HandlerOpts{
		ErrorLog:      errorLog{cfg.Logger},
		ErrorHandling: promhttp.ContinueOnError, // one failing source must not hide the others
		Registry:      cfg.Registry,
	})
	return m, nil
}

// Handler serves the registry in the Prometheus exposition formats
// (GET /metrics). A source that fails is logged and left out; the rest is
// served.
func (m *Metrics) Handler() http.Handler { return m.handler }

// register registers every collector, or reports the first failure.
func register(reg prometheus.Registerer, cs ...prometheus.Collector) error {
	for _, c := range cs {
		if err := reg.Register(c); err != nil {
			return fmt.Errorf("metrics: %w", err)
		}
	}
	return nil
}

// errorLog hands promhttp's errors to slog.
type errorLog struct{ log *slog.Logger }

func (l errorLog) Println(v ...any) { l.log.Warn("metrics: scrape", "err", fmt.Sprint(v...)) }
