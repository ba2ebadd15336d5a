package main

import (
	"context"
	"encoding/json"
	"flag"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/bridge/twilio/wire"
	"github.com/callscribe/callscribe/fixtures"
	"github.com/callscribe/callscribe/fixtures/speech"
	"github.com/callscribe/callscribe/webhooks/signature"
)

// placement puts a corpus clip on a track at a call time.
type placement struct {
	track wire.Track
	clip  string
	at    float64
}

// webhookReceiver is a CRM stand-in: a real HTTP server that verifies
// signatures and records what it accepted.
type webhookReceiver struct {
	secret signature.Secret
	mu     sync.Mutex
	events []event.Event
	ids    []string // webhook-id of each accepted delivery
	bad    int
	// down makes the receiver answer 503, as a CRM in maintenance does.
	down bool
	// refuse, when set, is a call whose deliveries are answered 503.
	refuse string
}

func (rcv *webhookReceiver) setDown(down bool) {
	rcv.mu.Lock()
	rcv.down = down
	rcv.mu.Unlock()
}

func (rcv *webhookReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rcv.mu.Lock()
	down := rcv.down
	rcv.mu.Unlock()
	if down {
		http.Error(w, "maintenance", http.StatusServiceUnavailable)
		return
	}
	body, _ := io.ReadAll(r.Body)
	if err := signature.Verify(r.Header, body, time.Now(), 5*time.Minute, rcv.secret); err != nil {
		rcv.mu.Lock()
		rcv.bad++
		rcv.mu.Unlock()
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	var e event.Event
	if err := json.Unmarshal(body, &e); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	rcv.mu.Lock()
	if rcv.refuse != "" && e.CallID == rcv.refuse {
		rcv.mu.Unlock()
		http.Error(w, "not now", http.StatusServiceUnavailable)
		return
	}
	rcv.events = append(rcv.events, e)
	rcv.ids = append(rcv.ids, r.Header.Get("webhook-id"))
	rcv.mu.Unlock()
}

func (rcv *webhookReceiver) finals() map[string]event.Event {
	rcv.mu.Lock()
	defer rcv.mu.Unlock()
	m := map[string]event.Event{}
	for _, e := range rcv.events {
		if e.Type == event.Transcript && e.IsFinal {
			m[e.UtteranceID] = e
		}
	}
	return m
}

// startService runs the whole service on loopback, as `callscribe serve`
// wires it, with a webhook endpoint pointing at a real receiver.
func startService(t *testing.T, grace time.Duration) (*liveService, *webhookReceiver) {
	t.Helper()
	secret, err := signature.NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	rcv := &webhookReceiver{secret: secret}
	crm := httptest.NewServer(rcv)
	t.Cleanup(crm.Close)

	cfg := testServeConfig(t)
	cfg.AudioCtx = envOr("CALLSCRIBE_TEST_AUDIO_CTX", "full")
	cfg.LogLevel = envOr("CALLSCRIBE_TEST_LOG_LEVEL", "warn")
	cfg.Grace, cfg.WebhookURL, cfg.WebhookSecret = grace, crm.URL, secret.String()
	return serveInProcess(t, cfg), rcv
}

// testServeConfig is what `callscribe serve` runs with when given no flag,
// on the test model, a loopback port and a fresh data folder, with two
// workers.
func testServeConfig(t *testing.T) ServeConfig {
	t.Helper()
	var cfg ServeConfig
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	cfg.register(fs)
	if err := fs.Parse(nil); err != nil {
		t.Fatal(err)
	}
	cfg.Model, cfg.BackendsDir, cfg.VADModel = modelPath(t), os.Getenv("CALLSCRIBE_GGML_BACKENDS"), vadModelPath(t)
	cfg.Listen, cfg.DataDir, cfg.Node = "127.0.0.1:0", t.TempDir(), "test-node"
	cfg.Workers, cfg.LogLevel = 2, "warn"
	return cfg
}

// liveService is a service serving on loopback in this process.
type liveService struct {
	// URL is the base URL, http://127.0.0.1:port.
	URL string
	svc *service
	// stop shuts the service down as a signal would and returns what
	// serve returned.
	stop func() error
}

// serveInProcess starts cfg's service on a loopback port, with the same
// shutdown path as `callscribe serve`; the test's end stops it.
func serveInProcess(t *testing.T, cfg ServeConfig) *liveService {
	t.Helper()
	if _, err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	svc, err := newService(context.Background(), cfg, newLogger(os.Stderr, cfg.level))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		svc.EndStreams(context.Background())
		svc.Close()
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- svc.serve(ctx, ln, nil) }()
	var once sync.Once
	var err2 error
	stop := func() error {
		once.Do(func() {
			cancel()
			err2 = <-served
		})
		return err2
	}
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return &liveService{URL: "http://" + ln.Addr().String(), svc: svc, stop: stop}
}

func vadModelPath(t *testing.T) string {
	t.Helper()
	return fixtures.ModelFile(t, "CALLSCRIBE_VAD_MODEL", "silero_vad.onnx")
}

// layTracks renders placements into one 16 kHz signal per track.
func layTracks(t *testing.T, clips map[string][]float32, ps []placement) map[wire.Track][]float32 {
	t.Helper()
	var length int
	for _, p := range ps {
		length = max(length, int(p.at*16000)+len(clips[p.clip])+16000)
	}
	tracks := map[wire.Track][]float32{}
	for _, p := range ps {
		if tracks[p.track] == nil {
			tracks[p.track] = make([]float32, length)
		}
		copy(tracks[p.track][int(p.at*16000):], clips[p.clip])
	}
	return tracks
}

// telephone turns a 16 kHz track into the 8 kHz mu-law a platform sends.
func telephone(t *testing.T, s []float32) []byte {
	t.Helper()
	law, err := speech.MuLaw8k(s, 16000)
	if err != nil {
		t.Fatal(err)
	}
	return law
}

// speechRegions finds where a clean track has speech (pauses under 0.3 s
// bridged): the truth utterance times are checked against.
func speechRegions(s []float32) [][2]float64 {
	return speech.Regions(s, 16000, 300*time.Millisecond)
}

func nearest(x float64, regions [][2]float64, edge int) float64 {
	best := math.Inf(1)
	for _, r := range regions {
		best = math.Min(best, math.Abs(r[edge]-x))
	}
	return best
}

// readBack collects what the server sends back on the stream's socket.
func readBack(conn *websocket.Conn) <-chan []event.Event {
	out := make(chan []event.Event, 1)
	go func() {
		var evs []event.Event
		for {
			_, data, err := conn.ReadMessage()
			if err != nil {
				out <- evs
				return
			}
			var e event.Event
			if json.Unmarshal(data, &e) == nil {
				evs = append(evs, e)
			}
		}
	}()
	return out
}

func wsURL(srv *liveService, path string) string {
	return "ws" + strings.TrimPrefix(srv.URL, "http") + path
}

// finalsByTrack orders a track's finals by start time.
func finalsByTrack(evs []event.Event, track string) []event.Event {
	var fs []event.Event
	for _, e := range evs {
		if e.Type == event.Transcript && e.IsFinal && e.Track == track && e.Text != "" {
			fs = append(fs, e)
		}
	}
	sort.Slice(fs, func(i, j int) bool { return fs[i].Start < fs[j].Start })
	return fs
}

func joinText(fs []event.Event) string {
	var parts []string
	for _, f := range fs {
		parts = append(parts, f.Text)
	}
	return strings.Join(parts, " ")
}

// envOr lets a benchmark run of the end-to-end tests try another setting.
func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
