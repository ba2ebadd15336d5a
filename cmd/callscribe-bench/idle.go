package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"time"

	"github.com/callscribe/callscribe/transcribe"
)

// readiness is the part of callscribe's /readyz answer the bench reads.
type readiness struct {
	Pool struct {
		Busy           int
		QueuedFinals   int
		QueuedPartials int
		Superseded     uint64
		Dropped        uint64
		Failed         uint64
		// Engine is the CPU seconds the pool's decodes took so far, by
		// kind.
		Engine transcribe.EngineSeconds
	} `json:"pool"`
	Tracks     int `json:"tracks"`
	Goroutines int `json:"goroutines"`
	// LiveCalls counts the server's calls with a stream open.
	LiveCalls int `json:"live_calls"`
}

// idle reports whether a server's readiness shows no open track and no
// decode running or waiting.
func (r readiness) idle() bool {
	return r.Tracks == 0 && r.Pool.Busy == 0 && r.Pool.QueuedFinals == 0 && r.Pool.QueuedPartials == 0
}

// readyzURL returns the /readyz address of the server whose stream
// endpoint is wsURL.
func readyzURL(wsURL string) (string, error) {
	u, err := url.Parse(wsURL)
	if err != nil {
		return "", err
	}
	u.Scheme = map[string]string{"wss": "https"}[u.Scheme]
	if u.Scheme == "" {
		u.Scheme = "http"
	}
	u.Path, u.RawQuery = "/readyz", ""
	return u.String(), nil
}

// fetchReadiness reads the server's /readyz once. A 503 (refusing new
// calls) still carries the figures.
func fetchReadiness(ctx context.Context, addr string) (readiness, error) {
	var r readiness
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, addr, nil)
	if err != nil {
		return r, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return r, err
	}
	defer resp.Body.Close()
	err = json.NewDecoder(resp.Body).Decode(&r)
	return r, err
}

// waitIdle waits until the server has finished the previous run's work
// (so that a run does not pay for the one before), or until limit passes.
// It reports whether the server was seen idle.
func waitIdle(ctx context.Context, wsURL string, limit time.Duration) bool {
	addr, err := readyzURL(wsURL)
	if err != nil {
		return false
	}
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	for {
		if r, err := fetchReadiness(ctx, addr); err == nil && r.idle() {
			return true
		}
		if sleep(ctx, 500*time.Millisecond) != nil {
			return false
		}
	}
}
