package main

import "math"

// Engine is CPU seconds a callscribe server's decodes took, by kind, as
// its pool counts them (/readyz, pool.Engine). Wasted is the part of the
// three that gave no result: decodes preempted, cancelled or failed.
type Engine struct {
	Final       float64 `json:"final"`
	Partial     float64 `json:"partial"`
	Speculative float64 `json:"speculative"`
	Wasted      float64 `json:"wasted"`
}

// minus returns e less an earlier reading.
func (e Engine) minus(before Engine) Engine {
	return Engine{Final: e.Final - before.Final, Partial: e.Partial - before.Partial,
		Speculative: e.Speculative - before.Speculative, Wasted: e.Wasted - before.Wasted}
}

// plus returns the sum of two spans' engine time.
func (e Engine) plus(o Engine) Engine {
	return Engine{Final: e.Final + o.Final, Partial: e.Partial + o.Partial,
		Speculative: e.Speculative + o.Speculative, Wasted: e.Wasted + o.Wasted}
}

// total is the engine time of every kind.
func (e Engine) total() float64 { return e.Final + e.Partial + e.Speculative }

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
func profileOf(e Engine, cpu float64) Profile {
	if cpu <= 0 || e.total() <= 0 {
		return Profile{}
	}
	whole := math.Max(cpu, e.total())
	return Profile{
		Partial:     e.Partial / whole,
		Final:       e.Final / whole,
		Speculative: e.Speculative / whole,
		Other:       (whole - e.total()) / whole,
		Wasted:      e.Wasted / whole,
	}
}
