package call

import (
	"context"
	"errors"
	"io"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/callscribe/callscribe/bridge/event"
)

func TestCallEndedContent(t *testing.T) {
	sink := &recordingSink{}
	h, clock := newTestHub(t, Config{Sinks: []Sink{sink}})
	a, err := h.Start(t.Context(), StartRequest{
		Key: "CA1", StreamID: "MZa", Source: "twilio", AccountSID: "AC9",
		Tracks: []string{"inbound"}, CustomParameters: map[string]string{"crm": "42"},
	})
	if err != nil {
		t.Fatal(err)
	}
	// Finals arrive in the order their tracks finish, not by start time.
	a.Emit(final("inbound", "in-2", "fine thanks", 4, 5))
	a.Emit(partial("outbound", "out-1", "how are", 2))
	a.Emit(final("outbound", "out-1", "how are you", 2, 3.5))
	a.Emit(final("inbound", "in-1", "hello", 0.5, 1))
	a.AddSpeech("inbound", 1.5)
	a.AdvanceMedia(5.5)
	a.End("drop")
	clock.Advance(2 * time.Second)
	b := mustStart(t, h, "CA1", "MZb", "inbound", "outbound")
	clock.Advance(3 * time.Second)
	b.Emit(event.Event{Type: event.Transcript, IsFinal: true, Track: "outbound", UtteranceID: "out-2",
		Text: "bye", Start: 6, End: 7, Words: []event.Word{{Word: "bye", Start: 6, End: 7}}})
	b.AddSpeech("inbound", 0.25)
	b.AddSpeech("outbound", 1)
	b.End("stop")
	clock.Advance(10 * time.Second)

	got := sink.of(a.CallID())
	started, ended := got[0], got[len(got)-1]
	if started.Type != event.CallStarted || started.Call.StartedAt != "2026-03-01T12:00:00.000Z" ||
		started.Call.AccountSID != "AC9" || started.Call.CustomParameters["crm"] != "42" {
		t.Errorf("call.started %+v %+v", started, started.Call)
	}
	if ended.Type != event.CallEnded || ended.Seq != uint64(len(got)) {
		t.Fatalf("last event %v seq %d of %d", ended.Type, ended.Seq, len(got))
	}
	wantOrder := []string{"in-1", "out-1", "in-2", "out-2"}
	var order []string
	for _, u := range ended.Transcript {
		order = append(order, u.UtteranceID)
	}
	if !slices.Equal(order, wantOrder) {
		t.Errorf("transcript order %v, want %v", order, wantOrder)
	}
	info := ended.Call
	checks := []struct {
		name      string
		got, want any
	}{
		{"ended_at (last stream end, not grace end)", info.EndedAt, "2026-03-01T12:00:05.000Z"},
		{"event time", ended.Time, "2026-03-01T12:00:15.000Z"},
		{"duration", info.DurationSec, 7.0},
		{"utterances", info.Utterances, 4},
		{"words", info.Words, 7},
		{"streams", info.Streams, 2},
		{"end reason", info.EndReason, "stop"},
		{"tracks", slices.Clone(info.Tracks), []string{"inbound", "outbound"}},
		{"source", info.Source, "twilio"},
	}
	for _, c := range checks {
		if !equalAny(c.got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, c.got, c.want)
		}
	}
	if !maps.Equal(info.SpeechSec, map[string]float64{"inbound": 1.75, "outbound": 1}) {
		t.Errorf("speech %v", info.SpeechSec)
	}
	tr, err := h.Transcript(a.CallID())
	if err != nil || !slices.EqualFunc(tr, ended.Transcript, func(x, y event.Utterance) bool { return x.UtteranceID == y.UtteranceID }) {
		t.Errorf("Transcript() = %v, %v", tr, err)
	}
}

func equalAny(a, b any) bool {
	if as, ok := a.([]string); ok {
		bs, _ := b.([]string)
		return slices.Equal(as, bs)
	}
	return a == b
}

func TestEndedCallIsRetainedThenForgotten(t *testing.T) {
	h, clock := newTestHub(t, Config{Grace: time.Second, Retention: time.Minute})
	s := mustStart(t, h, "CA1", "MZa")
	s.Emit(final("inbound", "u1", "hi", 0, 1))
	s.End("stop")
	clock.Advance(time.Second)

	s.Emit(final("inbound", "u2", "late", 1, 2))
	if m := h.Metrics().Snapshot(); m.EventsRejected != 1 {
		t.Errorf("late event not rejected: %+v", m)
	}
	clock.Advance(59 * time.Second)
	sub, err := h.Subscribe(context.Background(), s.CallID(), SubscribeOptions{FromSeq: 2})
	if err != nil {
		t.Fatalf("ended call not readable within retention: %v", err)
	}
	got, err := drain(t, sub)
	if !errors.Is(err, io.EOF) || !slices.Equal(seqs(got), []uint64{2, 3}) {
		t.Errorf("replay of ended call %v, %v", seqs(got), err)
	}
	if calls := h.Calls(); len(calls) != 1 || !calls[0].Ended || calls[0].LastSeq != 3 {
		t.Errorf("Calls() = %+v", calls)
	}
	clock.Advance(time.Second)
	if _, err := h.Subscribe(context.Background(), s.CallID(), SubscribeOptions{}); !errors.Is(err, ErrUnknownCall) {
		t.Errorf("after retention: %v", err)
	}
	if len(h.Calls()) != 0 || clock.Pending() != 0 {
		t.Errorf("calls %v, timers %d", h.Calls(), clock.Pending())
	}
}

func TestDuplicateFinalsDropped(t *testing.T) {
	sink := &recordingSink{}
	h, clock := newTestHub(t, Config{Sinks: []Sink{sink}})
	a := mustStart(t, h, "CA1", "MZa")
	a.Emit(final("inbound", "u1", "hello there", 0, 1))
	a.End("drop")
	clock.Advance(time.Second)
	// The new stream re-transcribes the audio around the cut.
	b := mustStart(t, h, "CA1", "MZb")
	b.Emit(partial("inbound", "u1", "hello", 0))
	b.Emit(final("inbound", "u1", "hello there", 0, 1))
	b.Emit(final("inbound", "u2", "next", 2, 3))
	b.Emit(final("inbound", "", "no id, kept", 4, 5))
	b.Emit(event.Event{Type: event.CallEnded}) // only the hub ends calls
	b.End("stop")
	clock.Advance(10 * time.Second)

	got := sink.of(a.CallID())
	want := []event.Type{event.CallStarted, event.Transcript, event.Transcript, event.Transcript, event.CallEnded}
	if !slices.Equal(types(got), want) {
		t.Fatalf("events %v", types(got))
	}
	if n := len(got[len(got)-1].Transcript); n != 3 {
		t.Errorf("transcript has %d utterances, want 3", n)
	}
	m := h.Metrics().Snapshot()
	if m.FinalsDeduplicated != 1 || m.EventsRejected != 2 {
		t.Errorf("metrics %+v", m)
	}
}
