package main

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/fixtures/speech"
)

// sampleRate is the rate calls are laid out at, before the telephone path.
const sampleRate = bridge.SampleRate

// Track names as the server labels them.
const (
	caller = "inbound"
	agent  = "outbound"
)

// Clip is one recording with what is said in it.
type Clip struct {
	Name    string
	Samples []float32 // 16 kHz mono
	Ref     string
	// SpeechStart and SpeechEnd bound the speech inside the clip, seconds.
	SpeechStart, SpeechEnd float64
}

// NewClip returns a clip with its speech bounds measured.
func NewClip(name string, samples []float32, ref string) Clip {
	s, e := speech.Bounds(samples, sampleRate)
	return Clip{Name: name, Samples: samples, Ref: ref, SpeechStart: s, SpeechEnd: e}
}

// Truth is one expected utterance: a clip placed on a track, with the call
// time of its first and last loud frame.
type Truth struct {
	Track string  `json:"track"`
	Clip  string  `json:"clip"`
	Ref   string  `json:"ref"`
	Start float64 `json:"start"`
	End   float64 `json:"end"`
}

// Call is one laid-out two-track call with its ground truth.
type Call struct {
	Index  int
	Tracks map[string][]float32 // 16 kHz, keyed by track name
	Truth  []Truth              // in start order
	// Seconds is the length of the call.
	Seconds float64
}

// Reference returns the words said on track, in order.
func (c Call) Reference(track string) string {
	var s string
	for _, t := range c.Truth {
		if t.Track == track {
			if s != "" {
				s += " "
			}
			s += t.Ref
		}
	}
	return s
}

// LayoutOptions sets how turns are spaced.
type LayoutOptions struct {
	Seed uint64
	// Lead is the silence before the first turn, Tail after the last.
	Lead, Tail float64
	// A new turn starts MinPause..MaxPause after the previous turn ended,
	// or, with probability Overlap, up to MaxOverlap before it ended.
	MinPause, MaxPause  float64
	Overlap, MaxOverlap float64
	// SameTrack is the least silence between two utterances of one
	// speaker, long enough for the server to end the first.
	SameTrack float64
}

// DefaultLayout is the spacing used by the bench.
var DefaultLayout = LayoutOptions{
	Lead: 0.5, Tail: 1.5,
	MinPause: 0.3, MaxPause: 1.2,
	Overlap: 0.25, MaxOverlap: 1.2,
	SameTrack: 1.2,
}

// Layout builds call index from the agent's script (kept in order: a
// greeting first, a closing last) and the caller's clips (shuffled per
// call). Turns alternate, agent first; leftover caller clips follow each
// other as separate utterances.
func Layout(index int, agentLines, callerClips []Clip, opt LayoutOptions) (Call, error) {
	if len(agentLines) == 0 || len(callerClips) == 0 {
		return Call{}, fmt.Errorf("layout: need agent lines and caller clips")
	}
	rng := rand.New(rand.NewPCG(opt.Seed, uint64(index)))
	order := make([]Clip, len(callerClips))
	copy(order, callerClips)
	rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })

	type turn struct {
		track string
		clip  Clip
	}
	var turns []turn
	for i := 0; i < max(len(agentLines), len(order)); i++ {
		if i < len(agentLines) {
			turns = append(turns, turn{agent, agentLines[i]})
		}
		if i < len(order) {
			turns = append(turns, turn{caller, order[i]})
		}
	}

	lastEnd := map[string]float64{caller: math.Inf(-1), agent: math.Inf(-1)}
	prevStart, prevEnd := 0.0, opt.Lead
	type placed struct {
		turn
		offset float64 // where the clip's first sample goes
	}
	var ps []placed
	var truth []Truth
	for i, t := range turns {
		start := opt.Lead
		if i > 0 {
			if rng.Float64() < opt.Overlap {
				start = prevEnd - rng.Float64()*opt.MaxOverlap
			} else {
				start = prevEnd + opt.MinPause + rng.Float64()*(opt.MaxPause-opt.MinPause)
			}
			// A turn never starts before the previous one did, and a
			// speaker pauses between two utterances.
			start = max(start, prevStart+0.5, lastEnd[t.track]+opt.SameTrack)
		}
		offset := max(start-t.clip.SpeechStart, 0)
		start = offset + t.clip.SpeechStart
		end := offset + t.clip.SpeechEnd
		ps = append(ps, placed{t, offset})
		truth = append(truth, Truth{Track: t.track, Clip: t.clip.Name, Ref: t.clip.Ref, Start: start, End: end})
		lastEnd[t.track] = end
		prevStart, prevEnd = start, max(prevEnd, end)
	}

	var length int
	for _, p := range ps {
		length = max(length, int(p.offset*sampleRate)+len(p.clip.Samples))
	}
	length += int(opt.Tail * sampleRate)
	call := Call{Index: index, Tracks: map[string][]float32{
		caller: make([]float32, length),
		agent:  make([]float32, length),
	}, Truth: truth, Seconds: float64(length) / sampleRate}
	for _, p := range ps {
		dst := call.Tracks[p.track][int(p.offset*sampleRate):]
		for k, v := range p.clip.Samples {
			dst[k] += v
		}
	}
	return call, nil
}
