package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/fixtures"
	"github.com/callscribe/callscribe/fixtures/speech"
	"github.com/callscribe/callscribe/transcribe"
	"github.com/callscribe/callscribe/transcribe/vad"
)

// countingDecoder stands in for Whisper: it "hears" one word per 0.4 s of
// audio, named after the utterance's first samples, so a growing utterance
// yields growing hypotheses with a stable prefix, different utterances say
// different things, and a final's word count tells how much audio it
// covered.
type countingDecoder struct{}

func (countingDecoder) Decode(ctx context.Context, s []float32, _ transcribe.Options) (transcribe.Result, error) {
	secs := float64(len(s)) / transcribe.SampleRate
	n := int(secs / 0.4)
	var sum float64
	for _, v := range s[:min(len(s), 4000)] {
		sum += math.Abs(float64(v))
	}
	name := fmt.Sprintf("u%d", int(sum*1000)%100000)
	var b strings.Builder
	var toks []transcribe.Token
	for i := 0; i < n; i++ {
		w := fmt.Sprintf(" %s-%d", name, i+1)
		b.WriteString(w)
		toks = append(toks, transcribe.Token{Text: w, Start: float64(i) * 0.4, End: float64(i+1) * 0.4, P: 0.9})
	}
	return transcribe.Result{Duration: secs, Segments: []transcribe.Segment{{Start: 0, End: secs, Text: b.String(), Tokens: toks}}}, nil
}

func (countingDecoder) Close() error { return nil }

func loadVAD(t *testing.T) *vad.Model {
	t.Helper()
	m, err := vad.Load(fixtures.ModelFile(t, vad.ModelEnv, "silero_vad.onnx"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func clips(t *testing.T) map[string][]float32 {
	t.Helper()
	dir, err := speech.Dir()
	if err != nil {
		t.Skip(err)
	}
	cs, err := speech.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string][]float32{}
	for _, c := range cs {
		m[c.Name] = c.Samples()
	}
	return m
}

type recorder struct {
	mu     sync.Mutex
	events []event.Event
}

func (r *recorder) emit(e event.Event) {
	r.mu.Lock()
	r.events = append(r.events, e)
	r.mu.Unlock()
}

// TestTrackFromSpeechToFinals plays real speech through a track (real VAD
// and segmenter, a counting decoder) and hangs up in the middle of the last
// sentence.
func TestTrackFromSpeechToFinals(t *testing.T) {
	model := loadVAD(t)
	cs := clips(t)
	pool, err := transcribe.NewPool(func() (transcribe.Decoder, error) { return countingDecoder{}, nil }, transcribe.PoolConfig{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	tx, err := New(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, pool, model)
	if err != nil {
		t.Fatal(err)
	}
	var rec recorder
	const offset = 100.0 // a reconnected stream: call time starts at 100 s
	sink, err := tx.OpenTrack(context.Background(), bridge.TrackInfo{CallID: "c1", StreamID: "s1", Track: "inbound", Offset: offset, Partials: true}, rec.emit)
	if err != nil {
		t.Fatal(err)
	}
	silence := make([]float32, 2*transcribe.SampleRate)
	last := cs["LJ001-0001"]
	audio := append(append(append(append([]float32{}, cs["jfk"]...), silence...), cs["LJ001-0002"]...), silence...)
	cut := len(audio) + len(last)/2 // hang up halfway through the last sentence
	audio = append(audio, last[:len(last)/2]...)
	for pos := 0; pos < len(audio); pos += 320 {
		end := min(pos+320, len(audio))
		// The test plays far faster than real time; when the track's queue
		// is full it waits, as a live call's pace would.
		err := sink.Write(int64(pos), audio[pos:end])
		for errors.Is(err, ErrOverloaded) {
			time.Sleep(2 * time.Millisecond)
			err = sink.Write(int64(pos), audio[pos:end])
		}
		if err != nil {
			t.Fatal(err)
		}
		if pos%(320*25) == 0 {
			time.Sleep(time.Millisecond) // let partials interleave, as in a live call
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := sink.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if err := sink.Write(0, silence); err == nil {
		t.Error("Write after Close succeeded")
	}

	finals := map[string]event.Event{}
	var order []string
	stable := map[string]string{}
	for _, e := range rec.events {
		if e.Track != "inbound" || e.StreamID != "s1" || e.Type != event.Transcript {
			t.Fatalf("event %+v", e)
		}
		if _, done := finals[e.UtteranceID]; done {
			t.Fatalf("event after the final of %s: %+v", e.UtteranceID, e)
		}
		if !e.IsFinal {
			if !strings.HasPrefix(e.StableText, stable[e.UtteranceID]) || !strings.HasPrefix(e.Text, e.StableText) {
				t.Errorf("%s: stable text %q retracted %q (text %q)", e.UtteranceID, e.StableText, stable[e.UtteranceID], e.Text)
			}
			stable[e.UtteranceID] = e.StableText
			continue
		}
		finals[e.UtteranceID] = e
		order = append(order, e.UtteranceID)
	}
	if len(finals) < 3 || len(stable) == 0 {
		t.Fatalf("%d finals, %d utterances with partials", len(finals), len(stable))
	}
	prevEnd := offset
	for _, id := range order {
		f := finals[id]
		if f.Start < prevEnd-0.01 || f.End <= f.Start || f.Text == "" {
			t.Errorf("final %s: %.2f..%.2f %q (previous end %.2f)", id, f.Start, f.End, f.Text, prevEnd)
		}
		prevEnd = f.End
	}
	lastFinal := finals[order[len(order)-1]]
	if want := offset + float64(cut)/transcribe.SampleRate; lastFinal.End < want-0.5 {
		t.Errorf("hang-up: last final ends at %.2f, audio ended at %.2f", lastFinal.End, want)
	}
	if tx.OpenTracks() != 0 {
		t.Errorf("%d tracks still open", tx.OpenTracks())
	}
}

func trackInfo(callID string) bridge.TrackInfo {
	return bridge.TrackInfo{CallID: callID, StreamID: "s", Track: "inbound"}
}

// TestSpeculativeFinalsMatchPlainFinals plays two sentences with a pause
// after each, once with speculation and once without: the finals are the
// same (same spans, same text), and with speculation they came from the
// decode started during the pause, as the track's debug log says.
func TestSpeculativeFinalsMatchPlainFinals(t *testing.T) {
	model := loadVAD(t)
	cs := clips(t)
	silence := make([]float32, 2*transcribe.SampleRate)
	audio := slices.Concat(cs["LJ001-0002"], silence, cs["LJ001-0004"], silence)

	run := func(speculate bool) (finals []string, speculated int) {
		pool, err := transcribe.NewPool(func() (transcribe.Decoder, error) { return countingDecoder{}, nil }, transcribe.PoolConfig{Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		defer pool.Close()
		var logs strings.Builder
		var mu sync.Mutex
		cfg := Config{Logger: slog.New(slog.NewTextHandler(lockedWriter{&mu, &logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))}
		cfg.DisableSpeculation = !speculate
		tx, err := New(cfg, pool, model)
		if err != nil {
			t.Fatal(err)
		}
		var rec recorder
		sink, err := tx.OpenTrack(context.Background(), trackInfo("c1"), rec.emit)
		if err != nil {
			t.Fatal(err)
		}
		for pos := 0; pos < len(audio); pos += 320 {
			err := sink.Write(int64(pos), audio[pos:min(pos+320, len(audio))])
			for errors.Is(err, ErrOverloaded) {
				time.Sleep(2 * time.Millisecond)
				err = sink.Write(int64(pos), audio[pos:min(pos+320, len(audio))])
			}
			if err != nil {
				t.Fatal(err)
			}
			if pos%(320*5) == 0 {
				time.Sleep(time.Millisecond) // let decodes run between windows, as in a live call
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := sink.Close(ctx); err != nil {
			t.Fatal(err)
		}
		for _, e := range rec.events {
			if e.IsFinal {
				finals = append(finals, fmt.Sprintf("%s %.2f..%.2f %s", e.UtteranceID, e.Start, e.End, e.Text))
			}
		}
		mu.Lock()
		defer mu.Unlock()
		return finals, strings.Count(logs.String(), "speculated=true")
	}

	plain, none := run(false)
	fast, used := run(true)
	if none != 0 {
		t.Errorf("without speculation, %d finals say they were speculated", none)
	}
	if len(plain) != 2 || !slices.Equal(plain, fast) {
		t.Errorf("finals differ:\nplain:       %q\nspeculative: %q", plain, fast)
	}
	if used != len(fast) {
		t.Errorf("%d of %d finals came from a speculative decode, want all: the pool was idle at each pause", used, len(fast))
	}
}

// lockedWriter serialises writes from the track's goroutines.
type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
