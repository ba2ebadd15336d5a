package pipeline

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/transcribe"
)

// promptDecoder is countingDecoder that records the prompts of finals.
type promptDecoder struct {
	countingDecoder
	mu      *sync.Mutex
	prompts *[]string
}

func (d promptDecoder) Decode(ctx context.Context, s []float32, o transcribe.Options) (transcribe.Result, error) {
	if o.BeamSize != 1 {
		d.mu.Lock()
		*d.prompts = append(*d.prompts, o.Prompt)
		d.mu.Unlock()
	}
	return d.countingDecoder.Decode(ctx, s, o)
}

// FinalizeReport names the utterance it ended mid-speech, whose final
// then covers the audio written before it; in silence it reports "". The
// track's vocabulary leads every final's prompt.
func TestFinalizeReportNamesTheUtterance(t *testing.T) {
	var mu sync.Mutex
	var prompts []string
	pool, err := transcribe.NewPool(func() (transcribe.Decoder, error) {
		return promptDecoder{mu: &mu, prompts: &prompts}, nil
	}, transcribe.PoolConfig{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	tx, err := New(Config{Logger: quiet()}, pool, loadVAD(t))
	if err != nil {
		t.Fatal(err)
	}
	var rec recorder
	info := bridge.TrackInfo{CallID: "c", StreamID: "s", Track: "ch0", Prompt: "Kennedy, Houston.", EndSilence: 5 * time.Second}
	sink, err := tx.OpenTrack(context.Background(), info, rec.emit)
	if err != nil {
		t.Fatal(err)
	}
	speech := clips(t)["jfk"][:3*transcribe.SampleRate]
	feedAll(t, sink, 0, speech)
	ids := make(chan string, 2)
	report := func(id string) { ids <- id }
	if err := sink.(bridge.FinalizeReporter).FinalizeReport(report); err != nil {
		t.Fatal(err)
	}
	id := <-ids
	if id != "ch0-1" {
		t.Fatalf("Finalize mid-speech reported %q, want ch0-1", id)
	}
	deadline := time.Now().Add(10 * time.Second)
	for !hasFinal(rec.snapshot(), id) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if !hasFinal(rec.snapshot(), id) {
		t.Fatalf("no final for %s", id)
	}
	feedAll(t, sink, int64(len(speech)), make([]float32, transcribe.SampleRate))
	if err := sink.(bridge.FinalizeReporter).FinalizeReport(report); err != nil {
		t.Fatal(err)
	}
	if id := <-ids; id != "" {
		t.Errorf("Finalize in silence reported %q", id)
	}
	closeWithin(t, sink, 10*time.Second)
	mu.Lock()
	defer mu.Unlock()
	if len(prompts) == 0 || !strings.HasPrefix(prompts[0], "Kennedy, Houston.") {
		t.Errorf("final prompts %q do not start with the track's vocabulary", prompts)
	}
}

// A track's end silence is clamped to what the service supports, and its
// padding kept within half of it.
func TestTrackEndSilenceIsClamped(t *testing.T) {
	tx := &Transcriber{cfg: Config{}.WithDefaults()}
	for asked, want := range map[time.Duration]time.Duration{
		0: 700 * time.Millisecond, 10 * time.Millisecond: 400 * time.Millisecond,
		time.Second: time.Second, time.Minute: 2 * time.Second,
	} {
		seg := tx.trackSegment(bridge.TrackInfo{EndSilence: asked})
		if seg.MinSilence != want || seg.SpeechPad > seg.MinSilence/2 || seg.Validate() != nil {
			t.Errorf("EndSilence %v: silence %v, pad %v (%v)", asked, seg.MinSilence, seg.SpeechPad, seg.Validate())
		}
	}
}

func hasFinal(events []event.Event, id string) bool {
	for _, e := range events {
		if e.IsFinal && e.UtteranceID == id {
			return true
		}
	}
	return false
}
