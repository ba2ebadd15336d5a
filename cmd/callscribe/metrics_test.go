package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/callscribe/callscribe/bridge/twilio/twiliotest"
	"github.com/callscribe/callscribe/bridge/twilio/wire"
	"github.com/callscribe/callscribe/cmd/callscribe/internal/metrics"
)

// TestMetricsDuringCall scrapes GET /metrics while a Twilio call plays in
// real time: a scrape taken while the call is live shows the call, its
// track, its utterances and their latencies; once it ends, the call is
// counted ended and no longer active.
func TestMetricsDuringCall(t *testing.T) {
	srv, _ := startService(t, time.Second)
	clip := corpus(t)["LJ001-0001"] // 9.7 s, one sentence with pauses
	audio := append(append(make([]float32, 8000), clip.Samples()...), make([]float32, 2*16000)...)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c, err := twiliotest.Dial(ctx, wsURL(srv, "/v1/twilio"), twiliotest.StreamInfo{AccountSID: "AC1", CallSID: "CA-metrics", StreamSID: "MZ-metrics"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Begin(); err != nil {
		t.Fatal(err)
	}
	played := make(chan error, 1)
	go func() {
		played <- c.Play(ctx, twiliotest.PlayOptions{}, twiliotest.TrackAudio{Track: wire.TrackInbound, Audio: telephone(t, audio)})
	}()

	// The stream stays open after the audio until it sends stop, so the
	// last final is counted while the call is still live.
	var live metricFamilies
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(250 * time.Millisecond) {
		live = scrapeMetrics(t, srv.URL)
		if live.value("callscribe_calls_active") == 1 && live.value("callscribe_utterances_total") > 0 &&
			live.count("callscribe_final_latency_seconds") > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no live scrape with the call, an utterance and a final latency; last: active %v, utterances %v, finals %v",
				live.value("callscribe_calls_active"), live.value("callscribe_utterances_total"), live.count("callscribe_final_latency_seconds"))
		}
	}
	for name, ok := range map[string]bool{
		"callscribe_calls_started_total":           live.value("callscribe_calls_started_total") == 1,
		"callscribe_tracks_active":                 live.value("callscribe_tracks_active") == 1,
		"callscribe_streams_active":                live.value("callscribe_streams_active") == 1,
		"callscribe_twilio_streams_total":          live.value("callscribe_twilio_streams_total") == 1,
		"callscribe_words_total":                   live.value("callscribe_words_total") > 0,
		"callscribe_pool_workers":                  live.value("callscribe_pool_workers") == 2,
		"callscribe_first_partial_latency_seconds": live.count("callscribe_first_partial_latency_seconds") > 0,
		"callscribe_build_info":                    live.value("callscribe_build_info") == 1,
	} {
		if !ok {
			t.Errorf("live scrape: %s is off", name)
		}
	}
	t.Logf("live: %v utterances, %v words; final latency mean %.2f s over %v; first partial mean %.2f s over %v",
		live.value("callscribe_utterances_total"), live.value("callscribe_words_total"),
		live.mean("callscribe_final_latency_seconds"), live.count("callscribe_final_latency_seconds"),
		live.mean("callscribe_first_partial_latency_seconds"), live.count("callscribe_first_partial_latency_seconds"))

	if err := <-played; err != nil {
		t.Fatal(err)
	}
	if err := c.SendStop(); err != nil {
		t.Fatal(err)
	}
	// call.ended follows the reconnect grace.
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(250 * time.Millisecond) {
		after := scrapeMetrics(t, srv.URL)
		if after.value("callscribe_calls_ended_total") == 1 && after.value("callscribe_calls_active") == 0 && after.value("callscribe_tracks_active") == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the call: ended %v, active %v, tracks %v", after.value("callscribe_calls_ended_total"),
				after.value("callscribe_calls_active"), after.value("callscribe_tracks_active"))
		}
	}
}

// TestMetricsNeedAdminScope: on a secured service the public listener
// serves /metrics to admin keys only; counters name calls and load.
func TestMetricsNeedAdminScope(t *testing.T) {
	cfg := testServeConfig(t)
	keys := makeKeys(t, cfg, "read", "admin")
	live := serveInProcess(t, cfg)
	for who, want := range map[string]int{"": 401, "Bearer " + keys["read"]: 403, "Bearer " + keys["admin"]: 200} {
		if status, body, _ := request(t, http.MethodGet, live.URL+"/metrics", who); status != want {
			t.Errorf("GET /metrics with %q: %d %.80s, want %d", who, status, body, want)
		}
	}
}

// TestDebugListenerServesMetrics: --debug-listen serves /metrics beside
// the profiles, for a scraper on the private network.
func TestDebugListenerServesMetrics(t *testing.T) {
	m, err := metrics.New(metrics.Config{Registry: prometheus.NewRegistry(), Version: "v-test"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(debugHandler(m.Handler()))
	defer srv.Close()
	if got := scrapeMetrics(t, srv.URL); got.value("callscribe_build_info") != 1 {
		t.Errorf("the debug listener's /metrics has no build info: %v", got["callscribe_build_info"])
	}
}

// metricFamilies is one scrape, parsed.
type metricFamilies map[string]*dto.MetricFamily

// scrapeMetrics GETs base/metrics and parses the text exposition.
func scrapeMetrics(t *testing.T, base string) metricFamilies {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics: %s", resp.Status)
	}
	return parseMetrics(t, resp.Body)
}

// scrapeHandler scrapes a metrics handler in process, past the HTTP
// layer's authentication.
func scrapeHandler(t *testing.T, h http.Handler) metricFamilies {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	return parseMetrics(t, w.Body)
}

func parseMetrics(t *testing.T, r io.Reader) metricFamilies {
	t.Helper()
	p := expfmt.NewTextParser(model.LegacyValidation)
	mfs, err := p.TextToMetricFamilies(r)
	if err != nil {
		t.Fatal(err)
	}
	return mfs
}

// byLabel returns a counter's values by one label's value.
func (m metricFamilies) byLabel(name, label string) map[string]float64 {
	out := map[string]float64{}
	for _, s := range m[name].GetMetric() {
		for _, l := range s.GetLabel() {
			if l.GetName() == label {
				out[l.GetValue()] += s.GetCounter().GetValue()
			}
		}
	}
	return out
}

// value sums a counter's or gauge's series; -1 if it is absent.
func (m metricFamilies) value(name string) float64 {
	mf, ok := m[name]
	if !ok {
		return -1
	}
	var v float64
	for _, s := range mf.GetMetric() {
		v += s.GetCounter().GetValue() + s.GetGauge().GetValue() + s.GetUntyped().GetValue()
	}
	return v
}

// count is a histogram's observation count; -1 if it is absent.
func (m metricFamilies) count(name string) float64 {
	mf, ok := m[name]
	if !ok || len(mf.GetMetric()) != 1 {
		return -1
	}
	return float64(mf.GetMetric()[0].GetHistogram().GetSampleCount())
}

// mean is a histogram's mean observation.
func (m metricFamilies) mean(name string) float64 {
	if n := m.count(name); n > 0 {
		return m[name].GetMetric()[0].GetHistogram().GetSampleSum() / n
	}
	return 0
}
