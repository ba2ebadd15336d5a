package main

import (
	"context"
	"log/slog"
	"math"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/callscribe/callscribe/transcribe"
)

// Config is how to reach the server and how to pace a run.
type Config struct {
	URL string
	// ServerPID, when positive, is read for CPU and memory figures.
	ServerPID int
	// Drain is how long a call waits for its finals after stop.
	Drain time.Duration
	// Calls start StaggerMin..StaggerMax after the previous one.
	StaggerMin, StaggerMax time.Duration
	Seed                   uint64
	// Play plays one call; nil means playCall (callscribe's Twilio
	// endpoint). playPeer plays a WhisperLive-protocol peer instead.
	Play func(ctx context.Context, url string, call Call, drain time.Duration, log *slog.Logger) CallResult
	// ReadyzURL, when set, is polled during a batch for the server's
	// goroutines and its pool's dropped partials.
	ReadyzURL string
}

// Batch is one set of calls played together, with the server's resource
// use over it.
type Batch struct {
	Calls  []CallResult `json:"calls"`
	Scores []CallScore  `json:"scores"` // parallel to Calls; zero if refused
	// AudioSec sums the length of the calls that were not refused.
	AudioSec float64 `json:"audio_sec"`
	WallSec  float64 `json:"wall_sec"`
	// Server figures, zero without a server pid: CPU seconds used over
	// the batch, RSS before it and its peak during it (MiB), and whether
	// the kernel's peak (VmHWM) could be reset before it.
	CPUSec     float64 `json:"cpu_sec"`
	RSSBefore  float64 `json:"rss_before_mib"`
	RSSPeak    float64 `json:"rss_peak_mib"`
	HWM        float64 `json:"vm_hwm_mib"`
	PeakReset  bool    `json:"vm_hwm_reset"`
	LoadBefore float64 `json:"load_before"`
	LoadAfter  float64 `json:"load_after"`
	// From the server's /readyz (zero without Config.ReadyzURL): the most
	// goroutines seen, and partial decodes the pool dropped or replaced
	// with a newer one before running them, and decodes that failed.
	GoroutinesPeak  int    `json:"goroutines_peak"`
	PartialsDropped uint64 `json:"partials_dropped"`
	DecodesFailed   uint64 `json:"decodes_failed"`
	// Engine is the CPU the server's decodes took over the batch, by
	// kind, from its pool's accounting.
	Engine transcribe.EngineSeconds `json:"engine"`
}

// staggers returns when each of n calls starts after the first.
func staggers(n int, lo, hi time.Duration, seed uint64) []time.Duration {
	rng := rand.New(rand.NewPCG(seed, uint64(n)))
	out := make([]time.Duration, n)
	for i := 1; i < n; i++ {
		out[i] = out[i-1] + lo + time.Duration(rng.Float64()*float64(hi-lo))
	}
	return out
}

// runBatch plays calls concurrently, each starting at its stagger offset,
// and returns what they saw with the server's resource use.
func runBatch(ctx context.Context, cfg Config, calls []Call, log *slog.Logger) Batch {
	b := Batch{Calls: make([]CallResult, len(calls)), Scores: make([]CallScore, len(calls)), LoadBefore: loadAverage()}
	var cpu0 float64
	if cfg.ServerPID > 0 {
		b.PeakReset = resetPeak(cfg.ServerPID) == nil
		cpu0, _ = cpuSeconds(cfg.ServerPID)
		b.RSSBefore, _, _ = memory(cfg.ServerPID)
	}
	sampleCtx, stopSampling := context.WithCancel(ctx)
	var sampler sync.WaitGroup
	if cfg.ReadyzURL != "" {
		first, err := fetchReadiness(ctx, cfg.ReadyzURL)
		sampler.Go(func() {
			last := first
			tick := time.NewTicker(time.Second)
			defer tick.Stop()
			for {
				// The last poll runs after the calls end, so the counters
				// include every decode of the batch.
				done := sampleCtx.Err() != nil
				if r, e := fetchReadiness(ctx, cfg.ReadyzURL); e == nil {
					last = r
					b.GoroutinesPeak = max(b.GoroutinesPeak, r.Goroutines)
				}
				if done {
					break
				}
				select {
				case <-sampleCtx.Done():
				case <-tick.C:
				}
			}
			if err == nil {
				b.PartialsDropped = (last.Pool.Dropped + last.Pool.Superseded) - (first.Pool.Dropped + first.Pool.Superseded)
				b.DecodesFailed = last.Pool.Failed - first.Pool.Failed
				b.Engine = last.Pool.Engine.Minus(first.Pool.Engine)
			}
		})
	}
	if cfg.ServerPID > 0 {
		sampler.Go(func() {
			tick := time.NewTicker(250 * time.Millisecond)
			defer tick.Stop()
			for {
				if rss, hwm, err := memory(cfg.ServerPID); err == nil {
					b.RSSPeak, b.HWM = math.Max(b.RSSPeak, rss), hwm
				}
				select {
				case <-sampleCtx.Done():
					return
				case <-tick.C:
				}
			}
		})
	}

	began := time.Now()
	offsets := staggers(len(calls), cfg.StaggerMin, cfg.StaggerMax, cfg.Seed)
	var wg sync.WaitGroup
	for i, c := range calls {
		wg.Go(func() {
			t := time.NewTimer(offsets[i])
			defer t.Stop()
			select {
			case <-ctx.Done():
				b.Calls[i] = CallResult{Index: c.Index, Error: ctx.Err().Error()}
				return
			case <-t.C:
			}
			log.Debug("call starts", "call", c.Index)
			play := cfg.Play
			if play == nil {
				play = playCall
			}
			r := play(ctx, cfg.URL, c, cfg.Drain, log)
			r.Offset = offsets[i].Seconds()
			b.Calls[i] = r
		})
	}
	wg.Wait()
	b.WallSec = time.Since(began).Seconds()
	stopSampling()
	sampler.Wait()
	if cfg.ServerPID > 0 {
		if cpu1, err := cpuSeconds(cfg.ServerPID); err == nil {
			b.CPUSec = cpu1 - cpu0
		}
	}
	b.LoadAfter = loadAverage()
	for i, r := range b.Calls {
		if r.Refused {
			continue
		}
		b.Scores[i] = Score(calls[i], r.Events)
		b.AudioSec += calls[i].Seconds
	}
	return b
}
