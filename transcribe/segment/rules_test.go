package segment

import (
	"reflect"
	"testing"
	"time"
)

// testConfig makes the arithmetic readable: 1 sample = 1 ms, and the tests
// use 10-sample windows.
func testConfig() Config {
	return Config{
		SampleRate:       1000,
		Threshold:        0.5,
		ReleaseThreshold: 0.35,
		MinSpeech:        50 * time.Millisecond,
		MinSilence:       100 * time.Millisecond,
		SpeechPad:        20 * time.Millisecond,
		MaxUtterance:     time.Second,
		SplitSearch:      300 * time.Millisecond,
	}
}

// phoneConfig is the 16 kHz default with 600 ms of end silence and 200 ms
// pads, the values the window counts of the segmenter tests are drawn for.
func phoneConfig() Config {
	return Config{MinSilence: 600 * time.Millisecond, SpeechPad: 200 * time.Millisecond}.WithDefaults()
}

// run is n consecutive 10 ms windows with one probability and energy.
type run struct {
	n      int
	prob   float32
	energy float32
}

func sil(n int) run { return run{n, 0.05, 0.001} }
func sp(n int) run  { return run{n, 0.9, 0.1} }

// windows lays runs end to end from sample position at.
func windows(at int64, runs ...run) []Window {
	var out []Window
	for _, r := range runs {
		for range r.n {
			out = append(out, Window{Start: at, Samples: 10, Prob: r.prob, Energy: r.energy})
			at += 10
		}
	}
	return out
}

func feed(t *testing.T, cfg Config, ws []Window, flush bool) []Event {
	t.Helper()
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var events []Event
	for _, w := range ws {
		events = s.Push(events, w)
	}
	if flush {
		events = s.Flush(events)
	}
	return events
}

type start = SpeechStart
type end = SpeechEnd

func TestSegmenterRules(t *testing.T) {
	withPad := func(pad time.Duration) Config { c := testConfig(); c.SpeechPad = pad; return c }
	cases := []struct {
		name  string
		cfg   Config
		in    []Window
		flush bool
		want  []Event
	}{
		{name: "silence only", in: windows(0, sil(50)), flush: true},
		{name: "burst shorter than MinSpeech is dropped", in: windows(0, sil(10), sp(4), sil(20)), flush: true},
		{name: "MinSpeech reached exactly", in: windows(0, sil(10), sp(5)),
			want: []Event{start{80}}},
		{name: "utterance padded both sides", in: windows(0, sil(10), sp(10), sil(20)),
			want: []Event{start{80}, end{80, 220, false}}},
		{name: "start padding clamped to the track start", in: windows(0, sp(10), sil(20)),
			want: []Event{start{0}, end{0, 120, false}}},
		{name: "track timeline not starting at zero", in: windows(5000, sp(10), sil(20)),
			want: []Event{start{5000}, end{5000, 5120, false}}},
		{name: "onset needs Threshold, not ReleaseThreshold", in: windows(0, sil(5), run{20, 0.45, 0.1}, sil(5)), flush: true},
		{name: "once speaking, ReleaseThreshold holds it", in: windows(0, sil(10), sp(6), run{20, 0.4, 0.1}, sil(15)),
			want: []Event{start{80}, end{80, 380, false}}},
		{name: "after release only Threshold resumes", in: windows(0, sil(10), sp(10), sil(3), run{10, 0.4, 0.1}),
			want: []Event{start{80}, end{80, 220, false}}},
		{name: "pause shorter than MinSilence joins", in: windows(0, sil(10), sp(10), sil(9), sp(10), sil(20)),
			want: []Event{start{80}, end{80, 410, false}}},
		{name: "pause of MinSilence separates", in: windows(0, sil(10), sp(10), sil(10), sp(10), sil(20)),
			want: []Event{start{80}, end{80, 220, false}, start{280}, end{280, 420, false}}},
		{name: "dip below release restarts MinSpeech", in: windows(0, sil(10), sp(3), sil(1), sp(3), sil(20)), flush: true},
		{name: "no padding", cfg: withPad(-1), in: windows(0, sil(10), sp(10), sil(10)),
			want: []Event{start{100}, end{100, 200, false}}},
		{name: "flush while speaking ends at the last window", in: windows(0, sil(10), sp(10)), flush: true,
			want: []Event{start{80}, end{80, 200, false}}},
		{name: "flush while trailing ends after the padding", in: windows(0, sil(10), sp(10), sil(5)), flush: true,
			want: []Event{start{80}, end{80, 220, false}}},
		{name: "flush before padding fits ends at the last window", in: windows(0, sil(10), sp(10), sil(1)), flush: true,
			want: []Event{start{80}, end{80, 210, false}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := tc.cfg
			if cfg == (Config{}) {
				cfg = testConfig()
			}
			got := feed(t, cfg, tc.in, tc.flush)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("events\n got %v\nwant %v", got, tc.want)
			}
		})
	}
}
