package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"time"
)

// readiness is the part of callscribe's /readyz answer the bench reads.
type readiness struct {
	Pool struct {
		Busy           int
		QueuedFinals   int
		QueuedPartials int
	} `json:"pool"`
	Tracks int `json:"tracks"`
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
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, addr, nil)
		if err != nil {
			return false
		}
		if resp, err := http.DefaultClient.Do(req); err == nil {
			var r readiness
			err = json.NewDecoder(resp.Body).Decode(&r)
			resp.Body.Close()
			if err == nil && r.idle() {
				return true
			}
		}
		if sleep(ctx, 500*time.Millisecond) != nil {
			return false
		}
	}
}
