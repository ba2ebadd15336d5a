package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// writeSoak writes soak.json, soak.md and soak.png into dir.
func writeSoak(dir string, rep SoakReport) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("soak report: %w", err)
	}
	if err := writeJSON(filepath.Join(dir, "soak.json"), rep); err != nil {
		return fmt.Errorf("soak report: %w", err)
	}
	var png bytes.Buffer
	if err := WriteSoakChart(&png, rep); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "soak.png"), png.Bytes(), 0o644); err != nil {
		return fmt.Errorf("soak chart: %w", err)
	}
	var md bytes.Buffer
	if err := WriteSoakMarkdown(&md, rep, "soak.png"); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "soak.md"), md.Bytes(), 0o644); err != nil {
		return fmt.Errorf("soak report: %w", err)
	}
	return nil
}

// WriteSoakMarkdown writes the soak's verdict, its figures and one sample
// a minute as Markdown; chart, when set, is linked.
func WriteSoakMarkdown(w io.Writer, r SoakReport, chart string) error {
	var b strings.Builder
	c, v, t, rule := r.Churn, r.Verdict, r.Tally, r.Rule
	fmt.Fprintf(&b, "# callscribe soak\n\nServer: `%s`. %d concurrent two-track calls for %s with churn: %.0f%% of calls drop without stop, %.0f%% drop and resume on a new stream %s-%s later; a slot's next call starts %s-%s after its last. Samples every %s.\n\n",
		r.Server, r.Calls, secs(r.DurationSec), 100*c.Drop, 100*c.Resume, c.ResumeMin, c.ResumeMax, c.GapMin, c.GapMax, secs(r.EverySec))
	if v.Pass {
		b.WriteString("**Verdict: pass.**\n\n")
	} else {
		b.WriteString("**Verdict: FAIL.**\n\n")
		for _, why := range v.Why {
			fmt.Fprintf(&b, "- %s\n", why)
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "Rule: after a %s warm-up, the median of the last %s of load may exceed the first %s's by at most %.0f%% or %.0f MiB of RSS (the larger) and %.0f%% or %.0f goroutines; after the last call the server comes back to at most %d goroutines more than it had idle at the start, with no track or call open; no call refused.\n\n",
		secs(r.Windows.Warmup), secs(r.Windows.Length), secs(r.Windows.Length), rule.RSSGrowthPct, rule.RSSGrowthMiB,
		rule.GoroutineGrowthPct, rule.GoroutineGrowth, rule.IdleGoroutines)
	fmt.Fprintf(&b, "| | first window (%s-%s) | last window (%s-%s) | growth | least-squares slope per hour |\n|---|---|---|---|---|\n",
		clock(v.First.From), clock(v.First.To), clock(v.Last.From), clock(v.Last.To))
	fmt.Fprintf(&b, "| RSS (MiB) | %.1f | %.1f | %+.1f MiB (%+.1f%%) | %+.1f MiB |\n",
		v.First.RSSMiB, v.Last.RSSMiB, v.RSSGrowthMiB, v.RSSGrowthPct, v.RSSSlopeMiBPerHour)
	fmt.Fprintf(&b, "| goroutines | %.1f | %.1f | %+.1f (%+.1f%%) | %+.1f |\n\n",
		v.First.Goroutines, v.Last.Goroutines, v.GoroutineGrowth, v.GoroutineGrowthPct, v.GoroutineSlopePerHour)
	fmt.Fprintf(&b, "Samples per window: %d and %d. Idle: %d goroutines and %.1f MiB before the first call; %d goroutines, %.1f MiB, %d tracks and %d live calls %.0f s after the last call ended.\n\n",
		v.First.Samples, v.Last.Samples, r.Idle.StartGoroutines, r.Idle.StartRSSMiB,
		r.Idle.EndGoroutines, r.Idle.EndRSSMiB, r.Idle.EndTracks, r.Idle.EndLiveCalls, r.Idle.SettleSec)
	fmt.Fprintf(&b, "Calls: %d started, %d completed (%d clean, %d dropped, %d resumed), %d refused, %d with errors. Finals: %d received; %d expected, %d missing. Server final latency p50 / p95 / p99: %.0f / %.0f / %.0f ms.\n\n",
		t.Started, t.Completed, t.Clean, t.Dropped, t.Resumed, t.Refused, t.Errors,
		t.FinalsReceived, t.FinalsExpected, t.FinalsMissing, r.FinalServer.P50, r.FinalServer.P95, r.FinalServer.P99)
	if len(t.Missing) > 0 {
		shown := t.Missing[:min(len(t.Missing), 20)]
		fmt.Fprintf(&b, "Missing: %s", strings.Join(shown, ", "))
		if len(t.Missing) > len(shown) {
			fmt.Fprintf(&b, " and %d more", len(t.Missing)-len(shown))
		}
		b.WriteString(".\n\n")
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "Note: %s.\n\n", n)
	}
	if chart != "" {
		fmt.Fprintf(&b, "![RSS, goroutines and open tracks over the soak](%s)\n\n", chart)
	}
	b.WriteString("## Samples, one a minute\n\n| time | RSS (MiB) | goroutines | open tracks | live calls | bench calls |\n|---|---|---|---|---|---|\n")
	next := 0.0
	for _, s := range r.Samples {
		if s.At >= next {
			fmt.Fprintf(&b, "| %s | %.1f | %d | %d | %d | %d |\n", clock(s.At), s.RSSMiB, s.Goroutines, s.Tracks, s.LiveCalls, s.Calls)
			next = s.At - float64(int(s.At)%60) + 60
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// secs formats seconds as a duration ("30m0s").
func secs(s float64) string {
	return time.Duration(s * float64(time.Second)).Round(time.Second).String()
}

// clock formats seconds since the soak began as m:ss.
func clock(s float64) string {
	t := int(s + 0.5)
	return fmt.Sprintf("%d:%02d", t/60, t%60)
}
