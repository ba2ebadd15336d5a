package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"
)

// errSoakFailed is returned when a soak's verdict is a fail.
var errSoakFailed = errors.New("soak failed")

// SoakConfig is how to run a soak: Calls at once for Duration, sampled
// every Every, judged by Rule.
type SoakConfig struct {
	Config
	Calls    int
	Duration time.Duration
	Every    time.Duration
	// Warmup and Window place the compared windows (see Windows).
	Warmup, Window time.Duration
	// Settle is the longest wait after the last call for the server to
	// come back to idle.
	Settle time.Duration
	Churn  Churn
	Rule   FlatRule
}

// SoakReport is what a soak writes as soak.json.
type SoakReport struct {
	Server      string      `json:"server"`
	Calls       int         `json:"concurrent_calls"`
	DurationSec float64     `json:"duration_sec"`
	EverySec    float64     `json:"every_sec"`
	Churn       Churn       `json:"churn"`
	Rule        FlatRule    `json:"rule"`
	Windows     Windows     `json:"windows"`
	Idle        Idle        `json:"idle"`
	Tally       Tally       `json:"calls"`
	FinalServer Percentiles `json:"final_latency_server_ms"`
	Verdict     SoakVerdict `json:"verdict"`
	Samples     []Sample    `json:"samples"`
	CallLog     []SoakCall  `json:"call_log"`
	Notes       []string    `json:"notes,omitempty"`
}

// runSoak waits for the server to be idle, keeps cfg.Calls calls going for
// cfg.Duration with churn while sampling it, waits for it to be idle
// again, and judges the samples. It returns the report even when ctx
// ended early, with ctx's error.
func runSoak(ctx context.Context, cfg SoakConfig, layout func(int) (Call, error), log *slog.Logger) (SoakReport, error) {
	rep := SoakReport{Server: cfg.URL, Calls: cfg.Calls, DurationSec: cfg.Duration.Seconds(), EverySec: cfg.Every.Seconds(),
		Churn: cfg.Churn, Rule: cfg.Rule,
		Windows: Windows{Warmup: cfg.Warmup.Seconds(), Length: cfg.Window.Seconds(), End: cfg.Duration.Seconds()}}
	first, err := layout(0)
	if err != nil {
		return rep, fmt.Errorf("laying out a soak call: %w", err)
	}
	l := &soakLoad{cfg: cfg, layout: layout, log: log}
	if !waitIdle(ctx, cfg.URL, time.Minute) {
		rep.Notes = append(rep.Notes, "the server was not idle at the start")
	}
	start, errStart := l.sample(ctx)
	rep.Idle.StartGoroutines, rep.Idle.StartRSSMiB = start.Goroutines, start.RSSMiB
	log.Info("soak starts", "calls", cfg.Calls, "for", cfg.Duration, "idle_goroutines", start.Goroutines,
		"rss_mib", fmt.Sprintf("%.1f", start.RSSMiB))

	l.began = time.Now()
	sampleCtx, stopSampling := context.WithCancel(ctx)
	var sampler sync.WaitGroup
	var failed int
	sampler.Go(func() { rep.Samples, failed = l.sampleEvery(sampleCtx) })
	l.run(ctx, first.Seconds)
	lastCall := time.Now()
	log.Info("soak load ended", "calls", len(l.calls), "settling_up_to", cfg.Settle)
	end, errEnd := l.settle(ctx, start.Goroutines+cfg.Rule.IdleGoroutines)
	stopSampling()
	sampler.Wait()
	if errEnd == nil {
		// The idle end belongs on the chart, however soon it came.
		rep.Samples = append(rep.Samples, end)
		slices.SortStableFunc(rep.Samples, func(a, b Sample) int { return cmp.Compare(a.At, b.At) })
	}

	rep.Idle.Seen = errStart == nil && errEnd == nil
	rep.Idle.EndGoroutines, rep.Idle.EndRSSMiB, rep.Idle.EndTracks, rep.Idle.EndLiveCalls = end.Goroutines, end.RSSMiB, end.Tracks, end.LiveCalls
	rep.Idle.SettleSec = time.Since(lastCall).Seconds()
	if failed > 0 {
		rep.Notes = append(rep.Notes, fmt.Sprintf("%d samples could not be read", failed))
	}
	var server []float64
	rep.CallLog = l.calls
	rep.Tally, server = tally(l.calls)
	rep.FinalServer = Summarise(server)
	rep.Verdict = Judge(rep.Samples, rep.Windows, rep.Idle, rep.Tally, cfg.Rule)
	if err := ctx.Err(); err != nil {
		rep.Notes = append(rep.Notes, "interrupted: the soak did not run its full duration")
		return rep, err
	}
	return rep, nil
}

// settle samples the server every second until it is idle with at most
// goroutines, or cfg.Settle passes, and returns the last sample.
func (l *soakLoad) settle(ctx context.Context, goroutines int) (Sample, error) {
	wait, cancel := context.WithTimeout(ctx, l.cfg.Settle)
	defer cancel()
	var last Sample
	var err error
	for {
		var s Sample
		if s, err = l.sample(ctx); err == nil {
			last = s
			if s.Tracks == 0 && s.LiveCalls == 0 && s.Goroutines <= goroutines {
				return last, nil
			}
		}
		if sleep(wait, time.Second) != nil {
			return last, err
		}
	}
}
