package main

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Verdict is one run judged by the capacity rule.
type Verdict struct {
	Figures
	Pass bool     `json:"pass"`
	Why  []string `json:"why,omitempty"`
}

// Report is everything a bench writes as JSON.
type Report struct {
	Server   string `json:"server"`
	Rule     Rule   `json:"rule"`
	Capacity *int   `json:"capacity,omitempty"` // set by --search
	// CapacityAt is the capacity under other p95 latency budgets, keyed
	// like "3.0s", with the rule otherwise unchanged.
	CapacityAt map[string]int `json:"capacity_at_p95,omitempty"`
	// Floor is the offline cost floor of the bench's speech (--floor-bin).
	Floor *Floor    `json:"floor,omitempty"`
	Runs  []Verdict `json:"runs"`
	Notes []string  `json:"notes,omitempty"`
}

// WriteMarkdown writes the report as a Markdown table with a line per run.
func WriteMarkdown(w io.Writer, r Report, chart string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# callscribe load bench\n\nServer: `%s`. ", r.Server)
	fmt.Fprintf(&b, "Rule: p95 final latency (worse of server and client) <= %.0f ms, no call refused, no final missing, WER (both tracks) within %.1f points of N=1.\n\n",
		r.Rule.MaxP95MS, 100*r.Rule.MaxWERDelta)
	if r.Capacity != nil {
		fmt.Fprintf(&b, "**Capacity: %d concurrent two-track calls.**\n\n", *r.Capacity)
	}
	if len(r.CapacityAt) > 0 {
		keys := slices.Sorted(maps.Keys(r.CapacityAt))
		slices.SortFunc(keys, func(a, b string) int { return cmp.Compare(seconds(a), seconds(b)) })
		b.WriteString("Capacity under other p95 budgets:")
		for _, k := range keys {
			fmt.Fprintf(&b, " %s: %d;", k, r.CapacityAt[k])
		}
		b.WriteString("\n\n")
	}
	if chart != "" {
		fmt.Fprintf(&b, "![latency and WER against N](%s)\n\n", chart)
	}
	b.WriteString("| N | calls | refused | final p50/p95/p99 server (s) | final p50/p95/p99 client (s) | finals late | finals missing | first partial p50/p95 (s) | partials / speech-s | partials dropped | WER in | WER out | WER all | pass |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, v := range r.Runs {
		f := v.Figures
		pass := "yes"
		if !v.Pass {
			pass = "no: " + strings.Join(v.Why, "; ")
		}
		fmt.Fprintf(&b, "| %d | %d | %d | %s | %s | %d | %d / %d | %s | %.2f | %d | %s | %s | %s | %s |\n",
			f.N, f.Calls, f.Refused, secs3(f.FinalServerMS), secs3(f.FinalClientMS), f.FinalsLate,
			f.FinalsMissing, f.FinalsExpected, secs2(f.FirstPartial), f.PartialsPerSpeechSec, f.PartialsDropped,
			pct(f.WER[caller]), pct(f.WER[agent]), pct(f.WER["all"]), pass)
	}
	b.WriteString("\nServer resources over each run (CPU per second of call audio; the cost multiple is the server's CPU over the offline floor of the same speech):\n\n")
	b.WriteString("| N | server CPU-s / audio-s | x floor | peak RSS (MiB) | RSS / call (MiB) | goroutines peak | decodes failed | load 1m before-after |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|\n")
	for _, v := range r.Runs {
		f := v.Figures
		multiple := "-"
		if f.CostMultiple > 0 {
			multiple = fmt.Sprintf("%.1f", f.CostMultiple)
		}
		fmt.Fprintf(&b, "| %d | %.3f | %s | %.0f | %.1f | %d | %d | %.1f-%.1f |\n",
			f.N, f.CPUPerAudioSec, multiple, f.PeakRSSMiB, f.RSSPerCallMiB, f.GoroutinesPeak, f.DecodesFailed, f.LoadBefore, f.LoadAfter)
	}
	if r.Floor != nil {
		fmt.Fprintf(&b, "\nCost floor: %.4f CPU-s per second of speech (%.1f s of speech, `%s`).\n", r.Floor.CPUPerSpeechSec, r.Floor.SpeechSec, r.Floor.Command)
	}
	writeProfile(&b, r.Runs)
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "\n- %s", n)
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// writeProfile adds the table of where the server's CPU went, when the
// runs measured it.
func writeProfile(b *strings.Builder, runs []Verdict) {
	measured := false
	for _, v := range runs {
		measured = measured || v.Engine.Total() > 0
	}
	if !measured {
		return
	}
	b.WriteString("\nWhere the server's CPU went (shares of its CPU seconds; decode time from the pool's per-decode accounting, other = VAD, protocol, events, Go runtime; wasted = decodes preempted, cancelled or failed, within the three kinds):\n\n")
	b.WriteString("| N | partials | finals | speculative | other | wasted | engine CPU-s / call-s |\n")
	b.WriteString("|---|---|---|---|---|---|---|\n")
	for _, v := range runs {
		p := v.Profile
		perCall := 0.0
		if v.AudioSec > 0 {
			perCall = v.Engine.Total() / v.AudioSec
		}
		fmt.Fprintf(b, "| %d | %.0f%% | %.0f%% | %.0f%% | %.0f%% | %.0f%% | %.3f |\n",
			v.N, 100*p.Partial, 100*p.Final, 100*p.Speculative, 100*p.Other, 100*p.Wasted, perCall)
	}
}

func secs3(p Percentiles) string {
	if p.Count == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f / %.2f / %.2f", p.P50/1000, p.P95/1000, p.P99/1000)
}

func secs2(p Percentiles) string {
	if p.Count == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f / %.2f", p.P50/1000, p.P95/1000)
}

func pct(w WERFigure) string {
	if w.RefWords == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f%% (%d/%d)", 100*w.WER, w.Errors, w.RefWords)
}

// seconds reads a budget key such as "1.5s".
func seconds(k string) float64 {
	v, _ := strconv.ParseFloat(strings.TrimSuffix(k, "s"), 64)
	return v
}
