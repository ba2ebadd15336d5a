package metrics

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/callscribe/callscribe/bridge/event"
)

// TestPublishMeasuresEvents feeds a call's events through the sink.
func TestPublishMeasuresEvents(t *testing.T) {
	m, reg := newMetrics(t, Config{})
	final := func(text string, latencyMS int64, words ...string) event.Event {
		e := event.Event{Type: event.Transcript, IsFinal: true, Text: text, LatencyMS: latencyMS}
		for _, w := range words {
			e.Words = append(e.Words, event.Word{Word: w})
		}
		return e
	}
	evs := []event.Event{
		{Type: event.CallStarted},
		{Type: event.Transcript, Text: "hello"},
		{Type: event.Transcript, Text: "hello the"},
		final("hello there", 1200, "hello", "there"),
		final("no word timings here", 800), // words counted from the text
		final("", 3500),                    // emptied by a guard: a latency, no utterance
		{Type: event.DTMF, Digit: "5"},
		{Type: event.CallEnded, Transcript: []event.Utterance{{Text: "hello there"}}},
	}
	for _, e := range evs {
		if err := m.Publish(context.Background(), e); err != nil {
			t.Fatal(err)
		}
	}
	want := `
# HELP callscribe_final_latency_seconds Time from the end of speech in the audio to its final transcript leaving the server (the events' latency_ms).
# TYPE callscribe_final_latency_seconds histogram
callscribe_final_latency_seconds_bucket{le="0.1"} 0
callscribe_final_latency_seconds_bucket{le="0.25"} 0
callscribe_final_latency_seconds_bucket{le="0.5"} 0
callscribe_final_latency_seconds_bucket{le="0.75"} 0
callscribe_final_latency_seconds_bucket{le="1"} 1
callscribe_final_latency_seconds_bucket{le="1.5"} 2
callscribe_final_latency_seconds_bucket{le="2"} 2
callscribe_final_latency_seconds_bucket{le="2.5"} 2
callscribe_final_latency_seconds_bucket{le="3"} 2
callscribe_final_latency_seconds_bucket{le="4"} 3
callscribe_final_latency_seconds_bucket{le="5"} 3
callscribe_final_latency_seconds_bucket{le="7.5"} 3
callscribe_final_latency_seconds_bucket{le="10"} 3
callscribe_final_latency_seconds_bucket{le="15"} 3
callscribe_final_latency_seconds_bucket{le="20"} 3
callscribe_final_latency_seconds_bucket{le="30"} 3
callscribe_final_latency_seconds_bucket{le="+Inf"} 3
callscribe_final_latency_seconds_sum 5.5
callscribe_final_latency_seconds_count 3
# HELP callscribe_utterances_total Final transcripts emitted with text: one per utterance (finals the guards emptied are not counted).
# TYPE callscribe_utterances_total counter
callscribe_utterances_total 2
# HELP callscribe_words_total Words in the final transcripts emitted.
# TYPE callscribe_words_total counter
callscribe_words_total 6
# HELP callscribe_partials_total Partial transcripts emitted.
# TYPE callscribe_partials_total counter
callscribe_partials_total 2
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), names(want)...); err != nil {
		t.Error(err)
	}
}

func TestFirstPartial(t *testing.T) {
	m, reg := newMetrics(t, Config{})
	m.FirstPartial(1500 * time.Millisecond)
	m.FirstPartial(-time.Second) // a clock stepped back: counted as no wait
	want := `
# HELP callscribe_first_partial_latency_seconds Time from the arrival of an utterance's first audio (its start, pad included) to its first partial transcript.
# TYPE callscribe_first_partial_latency_seconds histogram
callscribe_first_partial_latency_seconds_bucket{le="0.1"} 1
callscribe_first_partial_latency_seconds_bucket{le="0.25"} 1
callscribe_first_partial_latency_seconds_bucket{le="0.5"} 1
callscribe_first_partial_latency_seconds_bucket{le="0.75"} 1
callscribe_first_partial_latency_seconds_bucket{le="1"} 1
callscribe_first_partial_latency_seconds_bucket{le="1.5"} 2
callscribe_first_partial_latency_seconds_bucket{le="2"} 2
callscribe_first_partial_latency_seconds_bucket{le="2.5"} 2
callscribe_first_partial_latency_seconds_bucket{le="3"} 2
callscribe_first_partial_latency_seconds_bucket{le="4"} 2
callscribe_first_partial_latency_seconds_bucket{le="5"} 2
callscribe_first_partial_latency_seconds_bucket{le="7.5"} 2
callscribe_first_partial_latency_seconds_bucket{le="10"} 2
callscribe_first_partial_latency_seconds_bucket{le="15"} 2
callscribe_first_partial_latency_seconds_bucket{le="20"} 2
callscribe_first_partial_latency_seconds_bucket{le="30"} 2
callscribe_first_partial_latency_seconds_bucket{le="+Inf"} 2
callscribe_first_partial_latency_seconds_sum 1.5
callscribe_first_partial_latency_seconds_count 2
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), names(want)...); err != nil {
		t.Error(err)
	}
}

// TestRefused counts the listed reasons under their own label and any
// other under "other", so the series stay bounded.
func TestRefused(t *testing.T) {
	m, _ := newMetrics(t, Config{})
	m.Refused(ReasonCapacity)
	m.Refused(ReasonCapacity)
	m.Refused(ReasonAuthScope)
	m.Refused("made-up")
	m.Refused("")
	if n := testutil.CollectAndCount(m.refused); n != len(refusalReasons()) {
		t.Errorf("%d series, want one per reason (%d)", n, len(refusalReasons()))
	}
	for reason, want := range map[string]float64{ReasonCapacity: 2, ReasonAuthScope: 1, ReasonOther: 2, ReasonDraining: 0} {
		if got := testutil.ToFloat64(m.refused.WithLabelValues(reason)); got != want {
			t.Errorf("refusals{reason=%q} = %v, want %v", reason, got, want)
		}
	}
}
