// Command callscribe-bench is a load generator for a running callscribe
// server. It replays concurrent two-track calls, built from the
// real-speech corpus and the agent's recorded lines, in real time through
// the Twilio Media Streams protocol, and reports latency, accuracy and the
// server's resource use. With --search it finds how many calls at once
// the server sustains within a latency and accuracy budget. With --soak it
// keeps N calls going for a long time, calls ending, dropping and
// reconnecting, and judges whether the server's RSS and goroutines stay
// flat.
//
// Usage:
//
//	callscribe-bench -n 4 --server-pid $(pgrep -nx callscribe)
//	callscribe-bench --search --ns 1,2,3,4,6,8 --server-pid PID --out /tmp/bench
//	callscribe-bench --soak 30m -n 4 --server-pid PID --out /tmp/soak
//	callscribe-bench --peer --url ws://127.0.0.1:9090 -n 2 --server-pid PEER_PID
//	callscribe-bench --compare --out results "callscribe tuned=results/tuned" results/peers/naive
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// options are the command's flags.
type options struct {
	url           string
	serverPID     int
	n             int
	search        bool
	ladder        []int
	baselineCalls int
	maxP95        time.Duration
	maxWERDelta   float64
	staggerMin    time.Duration
	staggerMax    time.Duration
	drain         time.Duration
	settle        time.Duration
	seed          uint64
	out           string
	speechDir     string
	agentDir      string
	callerClips   []string
	logLevel      string
	peer          bool
	replot        bool
	compare       bool
	reports       []string // --compare's report folders
	floorBin      string
	floorArgs     []string
	soak          time.Duration
	soakEvery     time.Duration
	soakWarmup    time.Duration
	soakWindow    time.Duration
	soakSettle    time.Duration
}

func parseFlags(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("callscribe-bench", flag.ContinueOnError)
	fs.StringVar(&o.url, "url", "ws://127.0.0.1:18080/v1/twilio", "the server's Twilio Media Streams endpoint")
	fs.IntVar(&o.serverPID, "server-pid", 0, "the server's process id, for CPU and memory figures (0: none)")
	fs.IntVar(&o.n, "n", 1, "concurrent calls of a single run")
	fs.BoolVar(&o.search, "search", false, "run each N of --ns and report the capacity")
	ladder := fs.String("ns", "1,2,3,4,6,8", "concurrency ladder of --search, ascending, starting at 1")
	fs.IntVar(&o.baselineCalls, "baseline-calls", 2, "calls played one after another for the N=1 baseline of --search")
	fs.DurationVar(&o.maxP95, "max-p95", 1500*time.Millisecond, "capacity rule: largest p95 final latency")
	fs.Float64Var(&o.maxWERDelta, "max-wer-delta", 0.01, "capacity rule: largest WER rise over N=1 (0.01 = one point)")
	fs.DurationVar(&o.staggerMin, "stagger-min", time.Second, "least time between two call starts")
	fs.DurationVar(&o.staggerMax, "stagger-max", 3*time.Second, "most time between two call starts")
	fs.DurationVar(&o.drain, "drain", time.Minute, "how long a call waits for its last finals after stop")
	fs.DurationVar(&o.settle, "settle", 5*time.Second, "pause between two runs of --search")
	seed := fs.Uint64("seed", 1, "seed of the call layouts and staggers")
	fs.StringVar(&o.out, "out", "/tmp/callscribe-bench", "folder for report.json, report.md, chart.png and raw runs")
	fs.StringVar(&o.speechDir, "speech-dir", "", "real-speech corpus folder (default: as the tests find it)")
	fs.StringVar(&o.agentDir, "agent-dir", "fixtures/calls", "folder of the agent's agent-*.wav lines")
	clips := fs.String("caller-clips", "LJ001-0001,LJ001-0002,LJ001-0004,LJ001-0006,LJ001-0008", "corpus clips the caller says, shuffled per call")
	fs.BoolVar(&o.peer, "peer", false, "--url is a WhisperLive-protocol peer: play each track as a 16 kHz float32 stream")
	fs.BoolVar(&o.replot, "replot", false, "only redraw chart.png and report.md from --out's report.json (soak.png and soak.md from a soak.json)")
	fs.BoolVar(&o.compare, "compare", false, "only draw one chart.png into --out from the report.json of each argument, NAME=DIR or DIR")
	fs.StringVar(&o.floorBin, "floor-bin", "", "callscribe binary for the offline cost floor (empty: no floor)")
	floorArgs := fs.String("floor-args", "", "extra flags for the floor's `callscribe transcribe`, space-separated (--model ...)")
	fs.DurationVar(&o.soak, "soak", 0, "keep -n calls going this long with churn and judge whether RSS and goroutines stay flat (0: no soak)")
	fs.DurationVar(&o.soakEvery, "soak-every", 10*time.Second, "how often the soak samples the server")
	fs.DurationVar(&o.soakWarmup, "soak-warmup", 0, "load before the soak's first window (0: a sixth of --soak, at most 5m)")
	fs.DurationVar(&o.soakWindow, "soak-window", 0, "length of the soak's first and last windows (0: a sixth of --soak, at most 5m)")
	fs.DurationVar(&o.soakSettle, "soak-settle", time.Minute, "longest wait after the soak's last call for the server to be idle again")
	fs.StringVar(&o.logLevel, "log-level", "info", "debug, info, warn or error")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	o.seed = *seed
	o.reports = fs.Args()
	o.floorArgs = strings.Fields(*floorArgs)
	o.callerClips = strings.Split(*clips, ",")
	var err error
	if o.ladder, err = parseLadder(*ladder); err != nil {
		return o, err
	}
	switch {
	case o.n < 1 || o.n > 64:
		return o, fmt.Errorf("-n %d: want 1..64", o.n)
	case o.baselineCalls < 1:
		return o, fmt.Errorf("--baseline-calls %d: want at least 1", o.baselineCalls)
	case o.staggerMin < 0 || o.staggerMax < o.staggerMin:
		return o, fmt.Errorf("stagger %v..%v: want 0 <= min <= max", o.staggerMin, o.staggerMax)
	case o.drain <= 0:
		return o, fmt.Errorf("--drain %v: want a positive duration", o.drain)
	}
	return o, soakFlags(&o)
}

// soakFlags checks the soak's flags and fills in the automatic windows.
func soakFlags(o *options) error {
	if o.soak == 0 {
		return nil
	}
	auto := min(o.soak/6, 5*time.Minute)
	if o.soakWarmup == 0 {
		o.soakWarmup = auto
	}
	if o.soakWindow == 0 {
		o.soakWindow = auto
	}
	switch {
	case o.soak < 0:
		return fmt.Errorf("--soak %v: want a positive duration", o.soak)
	case o.search || o.peer || o.replot || o.compare:
		return fmt.Errorf("--soak runs alone: not with --search, --peer, --replot or --compare")
	case o.serverPID <= 0:
		return fmt.Errorf("--soak needs --server-pid: RSS is what it watches")
	case o.soakEvery <= 0 || o.soakSettle <= 0:
		return fmt.Errorf("--soak-every %v, --soak-settle %v: want positive durations", o.soakEvery, o.soakSettle)
	case o.soakWarmup+2*o.soakWindow > o.soak:
		return fmt.Errorf("--soak %v is shorter than the warm-up %v and two windows of %v", o.soak, o.soakWarmup, o.soakWindow)
	}
	return nil
}

// parseLadder reads "1,2,4": ascending, from 1, at most 64.
func parseLadder(s string) ([]int, error) {
	var ns []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > 64 || (len(ns) > 0 && n <= ns[len(ns)-1]) {
			return nil, fmt.Errorf("--ns %q: want ascending numbers in 1..64", s)
		}
		ns = append(ns, n)
	}
	if len(ns) == 0 || ns[0] != 1 {
		return nil, fmt.Errorf("--ns %q: the ladder starts at 1 (the baseline)", s)
	}
	return ns, nil
}

func main() {
	o, err := parseFlags(os.Args[1:])
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "callscribe-bench:", err)
		os.Exit(2)
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(o.logLevel)); err != nil {
		fmt.Fprintln(os.Stderr, "callscribe-bench: --log-level:", err)
		os.Exit(2)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := bench(ctx, o, log); err != nil {
		log.Error("bench failed", "err", err)
		os.Exit(1)
	}
}
