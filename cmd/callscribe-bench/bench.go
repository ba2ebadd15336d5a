package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// bench lays out the calls, runs what o asks for and writes the reports.
func bench(ctx context.Context, o options, log *slog.Logger) error {
	if o.replot {
		return replot(o.out)
	}
	if o.compare {
		return compareCharts(o.out, o.reports)
	}
	agentLines, callerClips, err := loadCorpus(o.speechDir, o.callerClips, o.agentDir)
	if err != nil {
		return err
	}
	if o.soak > 0 {
		return benchSoak(ctx, o, agentLines, callerClips, log)
	}
	most := o.n
	if o.search {
		most = max(o.ladder[len(o.ladder)-1], o.baselineCalls)
	}
	layout := DefaultLayout
	layout.Seed = o.seed
	calls := make([]Call, most)
	for i := range calls {
		if calls[i], err = Layout(i, agentLines, callerClips, layout); err != nil {
			return err
		}
	}
	log.Info("calls laid out", "calls", most, "seconds", fmt.Sprintf("%.1f", calls[0].Seconds), "utterances", len(calls[0].Truth))
	if err := os.MkdirAll(filepath.Join(o.out, "runs"), 0o755); err != nil {
		return err
	}
	cfg := Config{URL: o.url, ServerPID: o.serverPID, Drain: o.drain, StaggerMin: o.staggerMin, StaggerMax: o.staggerMax, Seed: o.seed}
	if o.peer {
		cfg.Play = playPeer
	}
	rule := Rule{MaxP95MS: float64(o.maxP95.Milliseconds()), MaxWERDelta: o.maxWERDelta}
	rep := Report{Server: o.url, Rule: rule}
	if o.serverPID <= 0 {
		rep.Notes = append(rep.Notes, "no --server-pid: server CPU and memory not measured")
	}
	if !o.peer {
		if cfg.ReadyzURL, err = readyzURL(o.url); err != nil {
			return err
		}
	}
	if o.floorBin != "" {
		used := slices.Concat(agentLines, callerClips)
		fl, err := measureFloor(ctx, o.floorBin, o.floorArgs, used, filepath.Join(o.out, "floor"))
		if err != nil {
			return err
		}
		log.Info("cost floor", "cpu_per_speech_s", fmt.Sprintf("%.4f", fl.CPUPerSpeechSec), "speech_s", fmt.Sprintf("%.1f", fl.SpeechSec))
		rep.Floor = &fl
	}

	// run plays n calls at once; with several batches (the baseline) the
	// first calls are played one after another instead.
	run := func(n, batches int) (Figures, error) {
		var bs []Batch
		for k := range batches {
			set := calls[:n]
			if batches > 1 {
				set = calls[k : k+1]
			}
			if !o.peer && !waitIdle(ctx, o.url, time.Minute) {
				log.Warn("the server is still busy with earlier work", "n", n)
			}
			log.Info("run starts", "n", n, "batch", k, "load", loadAverage())
			b := runBatch(ctx, cfg, set, log)
			bs = append(bs, b)
			if err := ctx.Err(); err != nil {
				return Figures{}, err
			}
		}
		f := Summary(n, bs, rule.MaxP95MS)
		if rep.Floor != nil && f.SpeechSec > 0 && f.CPUSec > 0 {
			f.CostMultiple = f.CPUSec / (rep.Floor.CPUPerSpeechSec * f.SpeechSec)
		}
		if err := writeJSON(filepath.Join(o.out, "runs", fmt.Sprintf("n%02d.json", n)), struct {
			Figures Figures   `json:"figures"`
			Truth   [][]Truth `json:"truth"`
			Batches []Batch   `json:"batches"`
		}{Figures: f, Truth: truthOf(calls[:max(n, batches)]), Batches: bs}); err != nil {
			return f, err
		}
		log.Info("run done", "n", n, "p95_ms", rule.P95(f), "wer", f.WER["all"].WER, "missing", f.FinalsMissing,
			"refused", f.Refused, "cpu_per_audio_s", fmt.Sprintf("%.3f", f.CPUPerAudioSec))
		return f, nil
	}

	if !o.search {
		f, err := run(o.n, 1)
		if err != nil {
			return err
		}
		why := rule.Check(f, f)
		rep.Runs = append(rep.Runs, Verdict{Figures: f, Pass: len(why) == 0, Why: why})
		rep.Notes = append(rep.Notes, "single run: the WER part of the rule is not applied")
		return writeReports(o.out, rep)
	}

	base, err := run(1, o.baselineCalls)
	if err != nil {
		return err
	}
	passed := map[int]bool{}
	budgets := []float64{1500, 2000, 3000, 5000, 8000}
	judge := func(f Figures) {
		why := rule.Check(base, f)
		passed[f.N] = len(why) == 0
		rep.Runs = append(rep.Runs, Verdict{Figures: f, Pass: len(why) == 0, Why: why})
		slices.SortFunc(rep.Runs, func(a, b Verdict) int { return a.N - b.N })
		c := Capacity(passed)
		rep.Capacity = &c
		rep.CapacityAt = capacityAt(rule, base, rep.Runs, budgets)
	}
	judge(base)
	if err := writeReports(o.out, rep); err != nil {
		return err
	}
	// The ladder runs to its end for the curve, unless two runs in a row
	// refused calls or lost finals: past that point more calls only
	// load the machine.
	hard := 0
	for _, n := range o.ladder[1:] {
		if hard >= 2 {
			log.Info("two runs in a row refused calls or lost finals: the ladder stops", "at", n)
			break
		}
		if err := sleep(ctx, o.settle); err != nil {
			return err
		}
		f, err := run(n, 1)
		if err != nil {
			return err
		}
		judge(f)
		if f.Refused > 0 || f.FinalsMissing > 0 {
			hard++
		} else {
			hard = 0
		}
		if err := writeReports(o.out, rep); err != nil {
			return err
		}
	}
	if n := NextProbe(passed); n > 0 {
		if err := sleep(ctx, o.settle); err != nil {
			return err
		}
		f, err := run(n, 1)
		if err != nil {
			return err
		}
		judge(f)
	}
	log.Info("capacity", "calls", *rep.Capacity)
	return writeReports(o.out, rep)
}

// writeReports writes report.json, report.md and chart.png into dir; the
// chart is named after dir.
func writeReports(dir string, rep Report) error {
	if err := writeJSON(filepath.Join(dir, "report.json"), rep); err != nil {
		return err
	}
	var png bytes.Buffer
	if err := WriteChart(&png, []Curve{{Name: filepath.Base(filepath.Clean(dir)), Report: rep}}); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "chart.png"), png.Bytes(), 0o644); err != nil {
		return err
	}
	var md bytes.Buffer
	if err := WriteMarkdown(&md, rep, "chart.png"); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "report.md"), md.Bytes(), 0o644)
}

func writeJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// truthOf returns the ground truth of each call.
func truthOf(calls []Call) [][]Truth {
	out := make([][]Truth, len(calls))
	for i, c := range calls {
		out[i] = c.Truth
	}
	return out
}

// capacityAt returns, for each p95 latency budget (ms), the capacity the
// runs show under the rule with that budget instead of the configured one.
func capacityAt(rule Rule, base Figures, runs []Verdict, budgets []float64) map[string]int {
	out := map[string]int{}
	for _, ms := range budgets {
		r := rule
		r.MaxP95MS = ms
		passed := map[int]bool{}
		for _, v := range runs {
			passed[v.N] = len(r.Check(base, v.Figures)) == 0
		}
		out[fmt.Sprintf("%.1fs", ms/1000)] = Capacity(passed)
	}
	return out
}

// replot redraws the chart and the Markdown report of dir's soak.json or
// report.json.
func replot(dir string) error {
	if soak, err := replotSoak(dir); soak || err != nil {
		return err
	}
	rep, err := loadReport(dir)
	if err != nil {
		return fmt.Errorf("--replot: %w", err)
	}
	return writeReports(dir, rep)
}
