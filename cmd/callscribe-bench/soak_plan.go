package main

import (
	"math/rand/v2"
	"time"
)

// Plan is how one call ends. The zero Plan plays the whole call and sends
// stop, as a caller hanging up does.
type Plan struct {
	// Cut, when positive, is the call time (seconds) at which the
	// connection drops: the socket closes with neither stop nor a close
	// frame, and the server's cleanup for a lost stream runs.
	Cut float64 `json:"cut_sec,omitempty"`
	// Resume, when positive, is how long after the drop a new stream of
	// the same call SID continues the call from Cut, as the platform does
	// after a network blip: the server's reconnect path within its grace
	// period. Zero leaves the call dropped.
	Resume time.Duration `json:"resume_after_ns,omitempty"`
}

// Kind names the plan for tallies: "clean", "dropped" or "resumed".
func (p Plan) Kind() string {
	switch {
	case p.Cut <= 0:
		return "clean"
	case p.Resume <= 0:
		return "dropped"
	}
	return "resumed"
}

// Churn is how a soak's calls end and follow each other.
type Churn struct {
	// Drop and Resume are the shares of calls that drop without stop and
	// stay dropped, or drop and resume; the rest end cleanly.
	Drop, Resume float64
	// A drop happens between CutMin and CutMax of the call's length, so
	// that some speech was transcribed and some is still to come.
	CutMin, CutMax float64
	// A resumed call reconnects ResumeMin..ResumeMax after its drop.
	ResumeMin, ResumeMax time.Duration
	// A slot starts its next call GapMin..GapMax after its last ended, so
	// that the slots drift apart rather than start together.
	GapMin, GapMax time.Duration
}

// DefaultChurn drops three calls in ten, half of them for good. Resumes
// come within 4 s, well inside the server's default 10 s grace period.
var DefaultChurn = Churn{
	Drop: 0.15, Resume: 0.15,
	CutMin: 0.3, CutMax: 0.8,
	ResumeMin: time.Second, ResumeMax: 4 * time.Second,
	GapMin: time.Second, GapMax: 5 * time.Second,
}

// plan draws how a call of the given length ends.
func (c Churn) plan(rng *rand.Rand, seconds float64) Plan {
	u := rng.Float64()
	if u >= c.Drop+c.Resume {
		return Plan{}
	}
	p := Plan{Cut: seconds * (c.CutMin + rng.Float64()*(c.CutMax-c.CutMin))}
	if u >= c.Drop {
		p.Resume = between(rng, c.ResumeMin, c.ResumeMax)
	}
	return p
}

// gap draws the pause before a slot's next call.
func (c Churn) gap(rng *rand.Rand) time.Duration { return between(rng, c.GapMin, c.GapMax) }

func between(rng *rand.Rand, lo, hi time.Duration) time.Duration {
	return lo + time.Duration(rng.Float64()*float64(hi-lo))
}

// dropMargin is how long before a drop an utterance must have ended for
// its final to be expected on the socket: the end-of-utterance silence
// plus a decode under load (the default settings' p95 is about 3 s).
const dropMargin = 6.0

// expectedTruth returns the utterances whose finals the bench can expect
// to receive under plan. A dropped socket loses the finals of speech near
// the cut; a resumed call's new stream carries the finals published after
// it attached, so utterances that start after the cut count again. An
// utterance cut in two counts for neither.
func expectedTruth(truth []Truth, plan Plan) []Truth {
	if plan.Cut <= 0 {
		return truth
	}
	var out []Truth
	for _, t := range truth {
		before := t.End <= plan.Cut-dropMargin
		after := plan.Resume > 0 && t.Start >= plan.Cut
		if before || after {
			out = append(out, t)
		}
	}
	return out
}
