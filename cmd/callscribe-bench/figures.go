package main

import (
	"math"
	"strconv"

	"github.com/callscribe/callscribe/transcribe"
	"github.com/callscribe/callscribe/transcribe/wer"
)

// WERFigure is a word error rate with its counts.
type WERFigure struct {
	WER      float64 `json:"wer"`
	Errors   int     `json:"errors"`
	RefWords int     `json:"ref_words"`
}

func werFigure(r wer.Result) WERFigure {
	return WERFigure{WER: r.WER, Errors: r.Errors(), RefWords: r.RefWords}
}

// Figures are the results of one run of N concurrent calls (possibly made
// of several batches, as the baseline is).
type Figures struct {
	N       int `json:"n"`
	Calls   int `json:"calls"`
	Refused int `json:"refused"`
	Errors  int `json:"errors"`
	// Final latency from the server's latency_ms and measured by the
	// client; first partial latency measured by the client; all ms.
	FinalServerMS Percentiles `json:"final_latency_server_ms"`
	FinalClientMS Percentiles `json:"final_latency_client_ms"`
	FirstPartial  Percentiles `json:"first_partial_ms"`
	// PartialsPerSpeechSec counts partials per second of expected speech;
	// PartialsPerUtterance per expected utterance.
	PartialsPerSpeechSec float64              `json:"partials_per_speech_sec"`
	PartialsPerUtterance float64              `json:"partials_per_utterance"`
	WER                  map[string]WERFigure `json:"wer"` // per track and "all"
	FinalsExpected       int                  `json:"finals_expected"`
	FinalsMissing        int                  `json:"finals_missing"`
	Missing              []string             `json:"missing,omitempty"`
	AudioSec             float64              `json:"audio_sec"`
	// Server figures (zero without --server-pid). CPU per audio second
	// counts call seconds (two tracks each).
	CPUSec         float64 `json:"server_cpu_sec"`
	CPUPerAudioSec float64 `json:"server_cpu_per_audio_sec"`
	PeakRSSMiB     float64 `json:"server_peak_rss_mib"`
	RSSPerCallMiB  float64 `json:"server_rss_per_call_mib"`
	LoadBefore     float64 `json:"load_before"`
	LoadAfter      float64 `json:"load_after"`
	WallSec        float64 `json:"wall_sec"`
	// SpeechSec is the speech the calls held, both tracks, seconds.
	SpeechSec float64 `json:"speech_sec"`
	// FinalsLate counts finals whose server latency exceeded the rule's
	// p95 bound.
	FinalsLate int `json:"finals_late"`
	// From the server's /readyz: peak goroutines, partials dropped or
	// replaced before they ran, decodes failed.
	GoroutinesPeak  int    `json:"goroutines_peak"`
	PartialsDropped uint64 `json:"partials_dropped"`
	DecodesFailed   uint64 `json:"decodes_failed"`
	// CostMultiple is the server's CPU seconds over the cost floor of the
	// same speech (see Floor); 0 when either is unknown.
	CostMultiple float64 `json:"cost_multiple_of_floor"`
	// Engine is the CPU the server's decodes took, by kind; Profile is
	// the server's CPU split by it.
	Engine  transcribe.EngineSeconds `json:"engine_cpu_sec"`
	Profile Profile                  `json:"profile"`
}

// Summary turns the batches of one run of n concurrent calls into figures;
// finals slower than lateMS count as late.
func Summary(n int, batches []Batch, lateMS float64) Figures {
	f := Figures{N: n, WER: map[string]WERFigure{}, LoadBefore: math.NaN()}
	var server, client, partial []float64
	tallies := map[string]*wer.Tally{caller: {}, agent: {}, "all": {}}
	var partials int
	var speech float64
	for _, b := range batches {
		if math.IsNaN(f.LoadBefore) {
			f.LoadBefore = b.LoadBefore
		}
		f.LoadAfter = b.LoadAfter
		f.WallSec += b.WallSec
		f.AudioSec += b.AudioSec
		f.CPUSec += b.CPUSec
		f.GoroutinesPeak = max(f.GoroutinesPeak, b.GoroutinesPeak)
		f.PartialsDropped += b.PartialsDropped
		f.DecodesFailed += b.DecodesFailed
		f.Engine = f.Engine.Plus(b.Engine)
		f.PeakRSSMiB = math.Max(f.PeakRSSMiB, math.Max(b.RSSPeak, b.HWM))
		if len(b.Calls) > 0 {
			f.RSSPerCallMiB = math.Max(f.RSSPerCallMiB, (b.RSSPeak-b.RSSBefore)/float64(len(b.Calls)))
		}
		for i, r := range b.Calls {
			f.Calls++
			if r.Refused {
				f.Refused++
				continue
			}
			if r.Error != "" {
				f.Errors++
			}
			s := b.Scores[i]
			server = append(server, s.ServerFinalMS...)
			client = append(client, s.ClientFinalMS...)
			partial = append(partial, s.FirstPartial...)
			partials += s.Partials
			speech += s.SpeechSec
			f.FinalsExpected += s.Expected
			f.FinalsMissing += len(s.Missing)
			for _, m := range s.Missing {
				f.Missing = append(f.Missing, callName(r.Index)+"/"+m)
			}
			for track, w := range s.WER {
				tallies[track].Add(w)
				tallies["all"].Add(w)
			}
		}
	}
	if math.IsNaN(f.LoadBefore) {
		f.LoadBefore = 0
	}
	for _, ms := range server {
		if ms > lateMS {
			f.FinalsLate++
		}
	}
	f.SpeechSec = speech
	f.FinalServerMS, f.FinalClientMS, f.FirstPartial = Summarise(server), Summarise(client), Summarise(partial)
	if speech > 0 {
		f.PartialsPerSpeechSec = float64(partials) / speech
	}
	if f.FinalsExpected > 0 {
		f.PartialsPerUtterance = float64(partials) / float64(f.FinalsExpected)
	}
	for k, t := range tallies {
		if t.Clips() > 0 {
			f.WER[k] = werFigure(t.Result())
		}
	}
	if f.AudioSec > 0 {
		f.CPUPerAudioSec = f.CPUSec / f.AudioSec
	}
	f.Profile = profileOf(f.Engine, f.CPUSec)
	return f
}

func callName(i int) string { return "call" + strconv.Itoa(i) }
