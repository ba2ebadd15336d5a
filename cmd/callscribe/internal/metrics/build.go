package metrics

import (
	"runtime"
	"runtime/debug"

	"github.com/prometheus/client_golang/prometheus"
)

// buildInfo is callscribe_build_info: always 1, its labels say what runs.
func buildInfo(version, whisper string) prometheus.Collector {
	g := prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "callscribe_build_info",
		Help: "Always 1; the labels name the callscribe version, the Go version and the whisper.cpp version it runs.",
		ConstLabels: prometheus.Labels{
			"version":   version,
			"goversion": runtime.Version(),
			"whisper":   whisper,
		},
	})
	g.Set(1)
	return g
}

// moduleVersion is the main module's version as the build recorded it:
// a tag for a module built with go install, "(devel)" in a checkout.
func moduleVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}
