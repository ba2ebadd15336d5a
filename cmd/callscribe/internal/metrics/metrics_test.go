package metrics

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestConfig(t *testing.T) {
	if _, err := New(Config{}); !errors.Is(err, ErrBadConfig) {
		t.Errorf("no registry: %v, want ErrBadConfig", err)
	}
	if _, err := New(Config{Registry: prometheus.NewRegistry(), BacklogTimeout: -1}); !errors.Is(err, ErrBadConfig) {
		t.Errorf("negative backlog timeout: %v, want ErrBadConfig", err)
	}
	if c := (Config{}).WithDefaults(); c.Version == "" || c.Whisper != "unknown" || c.BacklogTimeout <= 0 || c.Logger == nil {
		t.Errorf("defaults %+v", c)
	}
	// Two services in one process (as tests run them) each have their own.
	newMetrics(t, Config{})
	newMetrics(t, Config{})
}

func TestBuildInfo(t *testing.T) {
	_, reg := newMetrics(t, Config{Version: "v1.2.3", Whisper: "1.8.3"})
	want := `
# HELP callscribe_build_info Always 1; the labels name the callscribe version, the Go version and the whisper.cpp version it runs.
# TYPE callscribe_build_info gauge
callscribe_build_info{goversion="` + runtime.Version() + `",version="v1.2.3",whisper="1.8.3"} 1
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "callscribe_build_info"); err != nil {
		t.Error(err)
	}
}

// TestNamesFollowConventions lints every metric the service exports,
// sources included, with Prometheus's own linter (promlint): units in the
// name, _total on counters, no camel case, help on everything.
func TestNamesFollowConventions(t *testing.T) {
	m, reg := newMetrics(t, Config{})
	if err := m.Watch(fakeSources()); err != nil {
		t.Fatal(err)
	}
	m.FirstPartial(1) // histograms show once observed
	problems, err := testutil.GatherAndLint(reg)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("%s: %s", p.Metric, p.Text)
	}
	// Everything of ours carries the prefix.
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if n := mf.GetName(); !strings.HasPrefix(n, "callscribe_") && !strings.HasPrefix(n, "go_") &&
			!strings.HasPrefix(n, "process_") && !strings.HasPrefix(n, "promhttp_") {
			t.Errorf("metric %s has no callscribe_ prefix", n)
		}
	}
}

// TestHandlerServesTheRegistry scrapes over HTTP: our metrics, the Go
// runtime's and the process's.
func TestHandlerServesTheRegistry(t *testing.T) {
	m, _ := newMetrics(t, Config{Version: "v9"})
	body := scrape(t, m)
	for _, want := range []string{`callscribe_build_info{goversion=`, "go_goroutines ", "callscribe_refusals_total{reason=\"capacity\"} 0"} {
		if !strings.Contains(body, want) {
			t.Errorf("scrape lacks %q", want)
		}
	}
	if runtime.GOOS == "linux" && !strings.Contains(body, "process_resident_memory_bytes ") {
		t.Error("scrape lacks the process collector")
	}
}

// scrape GETs m's handler and returns the body.
func scrape(t *testing.T, m *Metrics) string {
	t.Helper()
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("scrape: %s, %v", resp.Status, err)
	}
	return string(body)
}
