package main

import (
	"math"

	"github.com/callscribe/callscribe/transcribe"
)

// Profile splits the server's CPU over a run: each decode kind's share,
// and the rest (VAD, protocol, events, the Go runtime), as fractions of
// the server's CPU seconds. Wasted is the share of decodes that gave no
// result, counted within the three kinds. All zero when the server's CPU
// or its pool's accounting is unknown (a peer, no --server-pid).
type Profile struct {
	Partial     float64 `json:"partial"`
	Final       float64 `json:"final"`
	Speculative float64 `json:"speculative"`
	Other       float64 `json:"other"`
	Wasted      float64 `json:"wasted"`
}

// profileOf splits cpu seconds of server CPU by engine time e. The
// engine's figures are per-thread CPU times and the server's come from
// /proc: when they disagree enough that the engine seems to exceed the
// whole, the kinds are scaled to it and nothing is left for the rest.
func profileOf(e transcribe.EngineSeconds, cpu float64) Profile {
	if cpu <= 0 || e.Total() <= 0 {
		return Profile{}
	}
	whole := math.Max(cpu, e.Total())
	return Profile{
		Partial:     e.Partial / whole,
		Final:       e.Final / whole,
		Speculative: e.Speculative / whole,
		Other:       (whole - e.Total()) / whole,
		Wasted:      e.Wasted / whole,
	}
}
