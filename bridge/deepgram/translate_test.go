package deepgram

import (
	"reflect"
	"testing"
	"time"

	"github.com/callscribe/callscribe/bridge/event"
)

func words(ws ...string) []event.Word {
	out := make([]event.Word, len(ws))
	for i, w := range ws {
		out[i] = event.Word{Word: w, Start: 1 + float64(i)*0.5, End: 1.4 + float64(i)*0.5, Confidence: 0.8}
	}
	return out
}

func kinds(msgs []any) []string {
	var out []string
	for _, m := range msgs {
		switch r := m.(type) {
		case Results:
			k := "interim"
			if r.IsFinal {
				k = "final"
				if r.SpeechFinal {
					k += "+speech"
				}
				if r.FromFinalize {
					k += "+finalize"
				}
			}
			out = append(out, k)
		case SpeechStarted:
			out = append(out, "started")
		case UtteranceEnd:
			out = append(out, "end")
		}
	}
	return out
}

// An utterance: SpeechStarted with its first interim, interims, the final
// with speech_final; UtteranceEnd once the audio is utterance_end_ms past
// its last word, once.
func TestTranslatorUtterance(t *testing.T) {
	tr := newTranslator(Params{VADEvents: true, UtteranceEnd: time.Second, Punctuate: true}, ResultsMetadata{RequestID: "r"}, 2)
	partial := event.Event{Type: event.Transcript, Track: "ch1", UtteranceID: "ch1-1", Text: "Hello,", Start: 0.9, End: 1.8, Words: words("Hello,")}
	var got []any
	got = append(got, tr.transcript(partial, 1.8)...)
	got = append(got, tr.transcript(partial, 2.0)...)
	final := event.Event{Type: event.Transcript, Track: "ch1", UtteranceID: "ch1-1", IsFinal: true, Text: "Hello, world.", Start: 0.9, End: 2.2, Words: words("Hello,", "world.")}
	got = append(got, tr.transcript(final, 2.5)...)
	got = append(got, tr.media(2.8)...)
	got = append(got, tr.media(2.95)...)
	got = append(got, tr.media(4)...)
	if k := kinds(got); !reflect.DeepEqual(k, []string{"started", "interim", "interim", "final+speech", "end"}) {
		t.Fatalf("messages %q", k)
	}
	r := got[3].(Results)
	alt := r.Channel.Alternatives[0]
	if !reflect.DeepEqual(r.ChannelIndex, []int{1, 2}) || r.Start != 0.9 || r.Duration != 1.3 || alt.Transcript != "Hello, world." ||
		alt.Words[1].Word != "world" || alt.Words[1].PunctuatedWord != "world." || alt.Confidence != 0.8 || r.Metadata.RequestID != "r" {
		t.Errorf("final %+v", r)
	}
	if ue := got[4].(UtteranceEnd); ue.LastWordEnd != 1.9 || !reflect.DeepEqual(ue.Channel, []int{1, 2}) {
		t.Errorf("UtteranceEnd %+v", ue)
	}
}

// Speech that resumes within utterance_end_ms is one utterance to
// Deepgram: no UtteranceEnd between.
func TestTranslatorResumedSpeechOwesNoEnd(t *testing.T) {
	tr := newTranslator(Params{UtteranceEnd: 2 * time.Second}, ResultsMetadata{}, 1)
	first := event.Event{Type: event.Transcript, Track: "ch0", UtteranceID: "ch0-1", IsFinal: true, Text: "one", Start: 1, End: 1.5, Words: words("one")}
	next := event.Event{Type: event.Transcript, Track: "ch0", UtteranceID: "ch0-2", Text: "two", Start: 2.5, End: 3, Words: words("two")}
	got := append(tr.transcript(first, 2.2), tr.transcript(next, 3)...)
	got = append(got, tr.media(10)...)
	if k := kinds(got); !reflect.DeepEqual(k, []string{"final+speech", "interim"}) {
		t.Errorf("messages %q", k)
	}
	if a := got[0].(Results).Channel.Alternatives[0]; a.Transcript != "one" || a.Words[0].PunctuatedWord != "" {
		t.Errorf("without punctuate: %+v", a)
	}
}

// A Finalize marks the final of the utterance it cut from_finalize (not
// speech_final); with none open it answers at once with an empty final.
// The stream's end cuts without from_finalize, and endpointing=false
// keeps speech_final off.
func TestTranslatorFinalizeAndClose(t *testing.T) {
	tr := newTranslator(Params{}, ResultsMetadata{}, 1)
	fin := func(id string) event.Event {
		return event.Event{Type: event.Transcript, Track: "ch0", UtteranceID: id, IsFinal: true, Text: "x", Start: 1, End: 2, Words: words("x")}
	}
	var got []any
	got = append(got, tr.finalized(0, "ch0-1", 2)...)
	got = append(got, tr.transcript(fin("ch0-1"), 2)...)
	empty := tr.finalized(0, "", 3)
	got = append(got, empty...)
	tr.closing(0, "ch0-2")
	got = append(got, tr.transcript(fin("ch0-2"), 4)...)
	if k := kinds(got); !reflect.DeepEqual(k, []string{"final+finalize", "final+finalize", "final"}) {
		t.Fatalf("messages %q", k)
	}
	if r := empty[0].(Results); r.Start != 2 || r.Duration != 1 || r.Channel.Alternatives[0].Transcript != "" || r.Channel.Alternatives[0].Words == nil {
		t.Errorf("empty finalize answer %+v", r)
	}
	off := newTranslator(Params{NoEndpointing: true}, ResultsMetadata{}, 1)
	if k := kinds(off.transcript(fin("ch0-1"), 3)); !reflect.DeepEqual(k, []string{"final"}) {
		t.Errorf("endpointing=false: %q", k)
	}
	if got := off.transcript(event.Event{Type: event.Transcript, Track: "inbound"}, 1); got != nil {
		t.Errorf("a track that is no channel: %v", got)
	}
}

func TestPlainWord(t *testing.T) {
	for in, want := range map[string]string{"Hello,": "hello", "\"Don't": "don't", "U.S.": "u.s", "—": "", "2,000.": "2,000"} {
		if got := plainWord(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}
