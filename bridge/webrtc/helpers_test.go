package webrtc

import (
	"context"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/callscribe/callscribe/bridge/webrtc/whiptest"
)

// testServer is a WHIP endpoint on loopback with fakes behind it, mounted
// as cmd/callscribe mounts it.
type testServer struct {
	srv       *Server
	hub       *fakeHub
	admission *fakeAdmission
	url       string // the POST URL
}

func newTestServer(t *testing.T, cfg Config) *testServer {
	t.Helper()
	cfg.IncludeLoopback = true
	if cfg.Logger == nil {
		level := slog.LevelWarn
		if os.Getenv("WEBRTC_TEST_DEBUG") != "" {
			level = slog.LevelDebug
		}
		cfg.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	}
	ts := &testServer{hub: newFakeHub(), admission: &fakeAdmission{}}
	srv, err := NewServer(cfg, ts.hub, ts.hub, ts.admission)
	if err != nil {
		t.Fatal(err)
	}
	ts.srv = srv
	mux := http.NewServeMux()
	mux.Handle("POST /whip", srv.CORS(srv))
	mux.Handle("OPTIONS /whip", srv.CORS(nil))
	mux.Handle("DELETE /whip/{id}", srv.CORS(srv.Resource()))
	mux.Handle("PATCH /whip/{id}", srv.CORS(srv.Resource()))
	mux.Handle("OPTIONS /whip/{id}", srv.CORS(nil))
	hs := httptest.NewServer(mux)
	ts.url = hs.URL + "/whip"
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		hs.Close()
	})
	return ts
}

// dial starts a session with a client made by opts, closed at the test's
// end.
func (ts *testServer) dial(t *testing.T, opts whiptest.Options) *whiptest.Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := whiptest.Dial(ctx, ts.url, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// pcmu returns n 20 ms PCMU payloads of a quiet tone.
func pcmu(n int) [][]byte {
	ps := make([][]byte, n)
	for i := range ps {
		p := make([]byte, 160)
		for j := range p {
			p[j] = byte(0xF0 + (j % 8))
		}
		ps[i] = p
	}
	return ps
}

// eventually waits up to d for cond.
func eventually(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s", d, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// post sends a raw POST and returns the status, the body and the answer's
// headers.
func post(t *testing.T, u, contentType, body string) (int, string, http.Header) {
	t.Helper()
	resp, err := http.Post(u, contentType, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// countedRefusals records the refusals a server reports, by reason.
type countedRefusals struct {
	mu    sync.Mutex
	count map[string]int
}

func (c *countedRefusals) Refused(reason string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.count == nil {
		c.count = map[string]int{}
	}
	c.count[reason]++
}

func (c *countedRefusals) snapshot() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.count)
}
