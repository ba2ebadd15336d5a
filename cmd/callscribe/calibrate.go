package main

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"runtime"

	"github.com/callscribe/callscribe/codec"
	"github.com/callscribe/callscribe/transcribe"
	"github.com/callscribe/callscribe/transcribe/adapt"
)

// calibrationWAV is one of the agent's lines (fixtures/calls/agent-2.wav,
// made with Piper for this project), 4.6 s as a phone delivers it: 8 kHz
// mu-law. Decoding it at start measures what speech costs the loaded
// model on this machine.
//
//go:embed calibration.wav
var calibrationWAV []byte

// calibrationRuns is how many times the line is decoded for the measure,
// after one decode that warms the weights.
const calibrationRuns = 2

// engineCost measures what decoding speech once costs on pool's model, in
// CPU-seconds per second of audio: the calibration line decoded as a
// final under load is (greedy, one thread, the finals' encoder context
// floor), timed by the pool's own per-decode CPU accounting, so other
// work in the process does not count.
func engineCost(ctx context.Context, pool *transcribe.Pool, opts transcribe.Options) (float64, error) {
	a, err := codec.ReadWAV(bytes.NewReader(calibrationWAV))
	if err == nil {
		a, err = a.Resampled(transcribe.SampleRate)
	}
	if err != nil {
		return 0, fmt.Errorf("calibration clip: %w", err)
	}
	samples := a.Channels[0]
	o := transcribe.Options{Language: opts.Language, BeamSize: 1, Threads: 1, AudioCtx: opts.AudioCtx, RetryLoops: true}
	if o.Language == "auto" {
		o.Language = "en" // the line is English; detection would only add cost
	}
	if _, err := pool.Transcribe(ctx, samples, o); err != nil {
		return 0, fmt.Errorf("calibration decode: %w", err)
	}
	before := pool.Stats().Engine.Final
	for range calibrationRuns {
		if _, err := pool.Transcribe(ctx, samples, o); err != nil {
			return 0, fmt.Errorf("calibration decode: %w", err)
		}
	}
	spent := pool.Stats().Engine.Final - before
	secs := float64(len(samples)) / transcribe.SampleRate * calibrationRuns
	if spent <= 0 {
		return 0, fmt.Errorf("calibration: %d decodes measured no CPU time", calibrationRuns)
	}
	return spent / secs, nil
}

// decodingCores is how many cores the pool decodes on under load, when
// every decode keeps to one thread unless threads are pinned: what
// admission sizes against.
func (c ServeConfig) decodingCores() int {
	return max(1, min(c.Workers*max(1, c.Threads), runtime.NumCPU()))
}

// sizeAdmission returns the --max-tracks default: as many tracks as the
// decoding cores carry at the engine's measured cost (adapt.Sizing), or,
// when the measure fails, fallbackTracksPerCore per core.
func sizeAdmission(ctx context.Context, cfg ServeConfig, pool *transcribe.Pool, opts transcribe.Options) (tracks int, cost float64, err error) {
	cores := cfg.decodingCores()
	cost, err = engineCost(ctx, pool, opts)
	if err != nil {
		return fallbackTracksPerCore * cores, 0, err
	}
	return adapt.Sizing{}.Tracks(cost, cores), cost, nil
}

// fallbackTracksPerCore is the admission limit per decoding core when the
// engine's cost cannot be measured: what tiny.en carried on this
// project's machine before partials were bounded.
const fallbackTracksPerCore = 8
