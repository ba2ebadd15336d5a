package main

import (
	"math"
	"sort"
	"strings"

	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/transcribe/wer"
)

// matchSlack widens a truth utterance when matching server times to it:
// the server pads utterances by 0.3 s and VAD edges move a little.
const matchSlack = 0.4

// CallScore is what one call's events say against its ground truth.
type CallScore struct {
	WER map[string]wer.Result `json:"wer"` // per track
	Hyp map[string]string     `json:"hyp"` // finals joined, per track
	// Latencies in milliseconds: the server's latency_ms of each final,
	// the client's (final arrival minus when the end of speech was sent)
	// and first partial (first partial arrival minus when the start of
	// speech was sent).
	ServerFinalMS []float64 `json:"server_final_ms"`
	ClientFinalMS []float64 `json:"client_final_ms"`
	FirstPartial  []float64 `json:"first_partial_ms"`
	Partials      int       `json:"partials"`
	Finals        int       `json:"finals"`
	Expected      int       `json:"expected"`
	Missing       []string  `json:"missing,omitempty"` // clips with no final
	SpeechSec     float64   `json:"speech_sec"`
}

// Score compares the events of one call with its ground truth.
func Score(call Call, evs []Arrival) CallScore {
	s := CallScore{WER: map[string]wer.Result{}, Hyp: map[string]string{}, Expected: len(call.Truth)}
	for _, t := range call.Truth {
		s.SpeechSec += t.End - t.Start
	}
	type utt struct {
		firstPartial float64 // arrival, NaN if none
		partialStart float64
		track        string
	}
	utts := map[string]*utt{}
	var finals []Arrival
	for _, a := range evs {
		e := a.Event
		if e.Type != event.Transcript {
			continue
		}
		if e.IsFinal {
			if e.Text != "" {
				finals = append(finals, a)
			}
			continue
		}
		s.Partials++
		if utts[e.UtteranceID] == nil {
			utts[e.UtteranceID] = &utt{firstPartial: a.At, partialStart: e.Start, track: e.Track}
		}
	}
	s.Finals = len(finals)
	sort.SliceStable(finals, func(i, j int) bool { return finals[i].Event.Start < finals[j].Event.Start })

	covered := make([]bool, len(call.Truth))
	for _, a := range finals {
		f := a.Event
		if f.LatencyMS > 0 { // peers send none
			s.ServerFinalMS = append(s.ServerFinalMS, float64(f.LatencyMS))
		}
		i := bestTruth(call.Truth, f.Track, f.Start, f.End)
		if i < 0 {
			continue // an insertion: WER counts it
		}
		if a.NoLatency {
			continue // shown but never committed: not a final
		}
		// A final may span several utterances (peers cut by time, not
		// by pauses): it covers each that it mostly overlaps.
		for j, t := range call.Truth {
			if t.Track == f.Track && overlap(t, f.Start, f.End) >= math.Min(0.5*(t.End-t.Start), 1) {
				covered[j] = true
			}
		}
		// A clip the server split has finals ending before the clip's
		// speech does: their speech ended at their own end.
		endSpeech := math.Min(call.Truth[i].End, f.End)
		s.ClientFinalMS = append(s.ClientFinalMS, 1000*(a.At-endSpeech))
	}
	for _, u := range utts {
		i := bestTruth(call.Truth, u.track, u.partialStart, u.partialStart+0.5)
		if i < 0 {
			continue
		}
		startSpeech := math.Max(call.Truth[i].Start, u.partialStart)
		s.FirstPartial = append(s.FirstPartial, 1000*(u.firstPartial-startSpeech))
	}
	for i, ok := range covered {
		if !ok {
			s.Missing = append(s.Missing, call.Truth[i].Track+":"+call.Truth[i].Clip)
		}
	}
	for _, track := range []string{caller, agent} {
		var parts []string
		for _, a := range finals {
			if a.Event.Track == track {
				parts = append(parts, a.Event.Text)
			}
		}
		s.Hyp[track] = strings.Join(parts, " ")
		s.WER[track] = wer.Compute(call.Reference(track), s.Hyp[track])
	}
	return s
}

// overlap returns how long [start, end] overlaps t, widened by matchSlack.
func overlap(t Truth, start, end float64) float64 {
	return math.Min(end, t.End+matchSlack) - math.Max(start, t.Start-matchSlack)
}

// bestTruth returns the index of the truth utterance on track that overlaps
// [start, end] most (with matchSlack either side), or -1.
func bestTruth(truth []Truth, track string, start, end float64) int {
	best, bestOverlap := -1, 0.0
	for i, t := range truth {
		if t.Track != track {
			continue
		}
		if o := overlap(t, start, end); o > bestOverlap {
			best, bestOverlap = i, o
		}
	}
	return best
}

// Percentiles summarises a sample of milliseconds.
type Percentiles struct {
	Count int     `json:"count"`
	P50   float64 `json:"p50"`
	P95   float64 `json:"p95"`
	P99   float64 `json:"p99"`
	Max   float64 `json:"max"`
}

// Summarise returns the nearest-rank percentiles of xs (not modified).
func Summarise(xs []float64) Percentiles {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	p := Percentiles{Count: len(s)}
	if len(s) == 0 {
		return p
	}
	p.P50, p.P95, p.P99 = quantile(s, 0.50), quantile(s, 0.95), quantile(s, 0.99)
	p.Max = s[len(s)-1]
	return p
}

// quantile returns the nearest-rank q-quantile of sorted values.
func quantile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}
