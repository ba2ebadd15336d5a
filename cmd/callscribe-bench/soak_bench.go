package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
)

// benchSoak runs the soak o asks for, writes its reports into o.out and
// fails with errSoakFailed when the verdict does.
func benchSoak(ctx context.Context, o options, agentLines, callerClips []Clip, log *slog.Logger) error {
	readyz, err := readyzURL(o.url)
	if err != nil {
		return fmt.Errorf("--url: %w", err)
	}
	layout := DefaultLayout
	layout.Seed = o.seed
	cfg := SoakConfig{
		Config:   Config{URL: o.url, ServerPID: o.serverPID, Drain: o.drain, Seed: o.seed, ReadyzURL: readyz},
		Calls:    o.n,
		Duration: o.soak, Every: o.soakEvery, Warmup: o.soakWarmup, Window: o.soakWindow, Settle: o.soakSettle,
		Churn: DefaultChurn, Rule: DefaultFlatRule,
	}
	rep, runErr := runSoak(ctx, cfg, func(i int) (Call, error) {
		return Layout(i, agentLines, callerClips, layout)
	}, log)
	if err := writeSoak(o.out, rep); err != nil {
		return errors.Join(runErr, err)
	}
	if runErr != nil {
		return runErr
	}
	v := rep.Verdict
	log.Info("soak done", "pass", v.Pass, "calls", rep.Tally.Started, "refused", rep.Tally.Refused,
		"finals_missing", rep.Tally.FinalsMissing,
		"rss_mib", fmt.Sprintf("%.1f -> %.1f", v.First.RSSMiB, v.Last.RSSMiB),
		"goroutines", fmt.Sprintf("%.1f -> %.1f", v.First.Goroutines, v.Last.Goroutines),
		"idle_goroutines", fmt.Sprintf("%d -> %d", rep.Idle.StartGoroutines, rep.Idle.EndGoroutines))
	if !v.Pass {
		return fmt.Errorf("%w: %s", errSoakFailed, strings.Join(v.Why, "; "))
	}
	return nil
}

// replotSoak redraws soak.png and soak.md from dir's soak.json; it reports
// false when dir holds no soak.
func replotSoak(dir string) (bool, error) {
	data, err := os.ReadFile(filepath.Join(dir, "soak.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return true, fmt.Errorf("--replot: %w", err)
	}
	var rep SoakReport
	if err := json.Unmarshal(data, &rep); err != nil {
		return true, fmt.Errorf("--replot: soak.json: %w", err)
	}
	return true, writeSoak(dir, rep)
}
