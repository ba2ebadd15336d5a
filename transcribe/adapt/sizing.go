package adapt

import (
	"math"

	"github.com/callscribe/callscribe/bridge/config"
)

// Sizing turns the engine's measured cost into an admission limit: how
// many tracks the pool's cores carry at the shed settings, with headroom
// for the bursts of turn-taking. Zero fields take the defaults listed with
// them (WithDefaults).
type Sizing struct {
	// SpeechShare is the share of a track's time its speaker talks. A
	// phone call's side talks a little under half the time (the load
	// bench's calls: 0.42 per track). Default 0.5.
	SpeechShare float64
	// Overhead is the engine CPU a track costs under load over the cost
	// of decoding its speech once, greedy, as Cost is measured: the
	// partials at the stretched interval, speculations speech resumed
	// over, encoder context beyond the speech. Default 2.
	Overhead float64
	// TrackCPU is the CPU a track costs besides decoding, in CPU-seconds
	// per second: Silero VAD (a quarter of a percent of a core), the
	// protocol, the events. The load bench's share of the server's CPU
	// outside the decoder at 8 calls gives 0.006-0.007. Default 0.007.
	TrackCPU float64
	// Headroom is the share of the cores admission fills: the rest absorbs
	// moments when both speakers of many calls talk at once. Default 0.85.
	Headroom float64
}

// WithDefaults returns s with every zero field set to its default.
func (s Sizing) WithDefaults() Sizing {
	config.Default(&s.SpeechShare, 0.5)
	config.Default(&s.Overhead, 2)
	config.Default(&s.TrackCPU, 0.007)
	config.Default(&s.Headroom, 0.85)
	return s
}

// Validate reports what is wrong with s once defaults are applied,
// wrapping ErrBadConfig.
func (s Sizing) Validate() error {
	s = s.WithDefaults()
	var p config.Problems
	if !(s.SpeechShare > 0 && s.SpeechShare <= 1) || !(s.Headroom > 0 && s.Headroom <= 1) {
		p.Addf("SpeechShare %v and Headroom %v must be in (0, 1]", s.SpeechShare, s.Headroom)
	}
	if s.Overhead < 1 || s.TrackCPU < 0 {
		p.Addf("Overhead %v must be at least 1 and TrackCPU %v not negative", s.Overhead, s.TrackCPU)
	}
	return p.Err(ErrBadConfig)
}

// PerTrack is the CPU-seconds per second one track costs when decoding
// its speech once costs cost CPU-seconds per second of speech.
func (s Sizing) PerTrack(cost float64) float64 {
	s = s.WithDefaults()
	return s.SpeechShare*cost*s.Overhead + s.TrackCPU
}

// Tracks returns how many tracks cores carry when decoding speech costs
// cost CPU-seconds per second of speech: at least one.
func (s Sizing) Tracks(cost float64, cores int) int {
	s = s.WithDefaults()
	per := s.PerTrack(cost)
	if per <= 0 || cores <= 0 {
		return 1
	}
	return max(1, int(math.Floor(float64(cores)*s.Headroom/per)))
}
