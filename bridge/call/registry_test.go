package call

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/callscribe/callscribe/bridge/event"
)

// fakeRegistry records what the hub tells it and hands out the orphans a
// test plants.
type fakeRegistry struct {
	mu         sync.Mutex
	opened     []CallRecord
	renewals   [][]CallProgress
	ended      []string
	orphans    []CallRecord
	utterances map[string][]event.Utterance
	queries    []OrphanQuery
	// adoptable are open calls of other nodes, by key; lost are the ids
	// the next renewal reports taken over.
	adoptable map[string]CallRecord
	lost      []string
}

func (r *fakeRegistry) OpenCall(_ context.Context, rec CallRecord) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.opened = append(r.opened, rec)
	return nil
}

func (r *fakeRegistry) RenewCalls(_ context.Context, node string, until time.Time, p []CallProgress) ([]string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.renewals = append(r.renewals, slices.Clone(p))
	lost := r.lost
	r.lost = nil
	return lost, nil
}

func (r *fakeRegistry) AdoptCall(_ context.Context, key, node string, until time.Time) (CallRecord, bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	rec, ok := r.adoptable[key]
	delete(r.adoptable, key)
	return rec, ok, nil
}

func (r *fakeRegistry) EndCall(_ context.Context, id string, _ time.Time) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ended = append(r.ended, id)
	return nil
}

func (r *fakeRegistry) TakeOrphans(_ context.Context, q OrphanQuery) ([]CallRecord, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.queries = append(r.queries, q)
	out := r.orphans
	r.orphans = nil
	return out, nil
}

func (r *fakeRegistry) CallUtterances(_ context.Context, id string) ([]event.Utterance, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.utterances[id]), nil
}

func (r *fakeRegistry) snapshot() fakeRegistry {
	r.mu.Lock()
	defer r.mu.Unlock()
	return fakeRegistry{opened: slices.Clone(r.opened), renewals: slices.Clone(r.renewals), ended: slices.Clone(r.ended),
		queries: slices.Clone(r.queries)}
}

// TestRegistryFollowsCalls checks that the hub records a call when it
// starts, renews its lease with its progress every third of a lease, and
// records its end.
func TestRegistryFollowsCalls(t *testing.T) {
	reg := &fakeRegistry{}
	h, clock := newTestHub(t, Config{Registry: reg, Node: "n1", Lease: 30 * time.Second, Grace: time.Second})
	runDone := make(chan error, 1)
	go func() { runDone <- h.Run(context.Background()) }()

	s := mustStart(t, h, "CA1", "MZ1", "inbound")
	s.AdvanceMedia(12.5)
	s.Emit(final("inbound", "inbound-1", "hello there", 1, 2))
	got := reg.snapshot()
	if len(got.opened) != 1 || got.opened[0].CallID != s.CallID() || got.opened[0].Key != "CA1" || got.opened[0].Node != "n1" ||
		got.opened[0].LastSeq != 1 || !got.opened[0].LeaseUntil.Equal(clock.Now().Add(30*time.Second)) {
		t.Fatalf("opened %+v", got.opened)
	}
	// Run scans for orphans, then arms its two lease timers: wait for them.
	for clock.Pending() < 2 {
		time.Sleep(time.Millisecond)
	}
	clock.Advance(10 * time.Second)
	for len(reg.snapshot().renewals) == 0 {
		time.Sleep(time.Millisecond)
	}
	if p := reg.snapshot().renewals[0]; len(p) != 1 || p[0].CallID != s.CallID() || p[0].LastSeq != 2 || p[0].MediaSec != 12.5 {
		t.Errorf("renewal progress %+v, want seq 2, media 12.5", p)
	}
	s.End("stop")
	clock.Advance(time.Second) // the grace period: call.ended
	if e := reg.snapshot().ended; !slices.Equal(e, []string{s.CallID()}) {
		t.Errorf("ended %v", e)
	}
	h.Close()
	if err := <-runDone; err != nil {
		t.Fatal(err)
	}
}

// TestRecoverOrphansEndsThemInterrupted checks the call.ended a hub
// produces for a call a dead process held: the next seq, reason
// interrupted, the stored transcript in time order, durations and counts
// from what was stored.
func TestRecoverOrphansEndsThemInterrupted(t *testing.T) {
	reg := &fakeRegistry{
		orphans: []CallRecord{{CallID: "call_dead", Key: "CA9", Node: "n1", LastSeq: 41, MediaSec: 30,
			Info: event.CallInfo{Source: "twilio", Tracks: []string{"inbound", "outbound"}, StartedAt: "2026-03-01T11:59:00.000Z"}}},
		utterances: map[string][]event.Utterance{"call_dead": {
			{UtteranceID: "outbound-1", Track: "outbound", Start: 5, End: 31.5, Text: "two words"},
			{UtteranceID: "inbound-1", Track: "inbound", Start: 1, End: 3, Text: "x", Words: []event.Word{{Word: "a"}, {Word: "b"}, {Word: "c"}}},
		}},
	}
	sink := &recordingSink{}
	h, clock := newTestHub(t, Config{Registry: reg, Node: "n1", Sinks: []Sink{sink}})
	n, err := h.RecoverOrphans(context.Background())
	if err != nil || n != 1 {
		t.Fatalf("RecoverOrphans = %d, %v", n, err)
	}
	q := reg.snapshot().queries[0]
	if q.Node != "n1" || !q.Now.Equal(clock.Now()) || !q.Until.Equal(clock.Now().Add(30*time.Second)) || !q.Boot.Equal(clock.Now()) {
		t.Errorf("query %+v", q)
	}
	es := sink.of("call_dead")
	if len(es) != 1 {
		t.Fatalf("events %+v", es)
	}
	e := es[0]
	if e.Type != event.CallEnded || e.Seq != 42 || e.Call.EndReason != EndInterrupted || e.Call.Utterances != 2 || e.Call.Words != 5 ||
		e.Call.DurationSec != 31.5 || e.Call.Source != "twilio" || len(e.Transcript) != 2 || e.Transcript[0].Track != "inbound" ||
		e.Time != formatTime(clock.Now()) {
		t.Errorf("call.ended %+v, call %+v", e, e.Call)
	}
	if got := reg.snapshot().ended; !slices.Equal(got, []string{"call_dead"}) {
		t.Errorf("ended %v", got)
	}
	if h.Metrics().Snapshot().CallsRecovered != 1 {
		t.Error("not counted")
	}
}

// TestAdoptContinuesAnotherNodesCall: a stream whose key belongs to a call
// another node held continues that call here: its id, its seq, its media
// time (the stream's offset), and the finals stored so far, which end up in
// its call.ended and are not emitted twice. No second call.started.
func TestAdoptContinuesAnotherNodesCall(t *testing.T) {
	reg := &fakeRegistry{
		adoptable: map[string]CallRecord{"CA7": {CallID: "call_from_a", Key: "CA7", Node: "a", LastSeq: 9, MediaSec: 21.5,
			Info: event.CallInfo{Source: "twilio", Tracks: []string{"inbound"}, Streams: 1}}},
		utterances: map[string][]event.Utterance{"call_from_a": {{UtteranceID: "inbound-1", Track: "inbound", Start: 1, End: 4, Text: "said on a"}}},
	}
	sink := &recordingSink{}
	h, clock := newTestHub(t, Config{Registry: reg, Node: "b", Sinks: []Sink{sink}, Grace: time.Second})
	s := mustStart(t, h, "CA7", "MZ-b", "inbound")
	if s.CallID() != "call_from_a" || s.Offset() != 21.5 || !s.Resumed() {
		t.Fatalf("adopted stream: call %s, offset %v, resumed %v", s.CallID(), s.Offset(), s.Resumed())
	}
	s.Emit(final("inbound", "inbound-1", "said on a", 1, 4)) // a repeat: dropped
	s.Emit(final("inbound", "MZ-b/inbound-1", "said on b", 22, 24))
	s.End("stop")
	clock.Advance(time.Second)
	es := sink.of("call_from_a")
	if got := types(es); !slices.Equal(got, []event.Type{event.Transcript, event.CallEnded}) {
		t.Fatalf("events on b: %v", got)
	}
	if es[0].Seq != 10 || es[1].Seq != 11 {
		t.Errorf("seqs %v, want 10, 11 after a's 9", seqs(es))
	}
	ended := es[1]
	if len(ended.Transcript) != 2 || ended.Transcript[0].Text != "said on a" || ended.Call.Streams != 2 || ended.Call.DurationSec < 24 {
		t.Errorf("call.ended: %d utterances %+v, call %+v", len(ended.Transcript), ended.Transcript, ended.Call)
	}
	if h.Metrics().Snapshot().CallsAdopted != 1 {
		t.Error("adoption not counted")
	}
}

// TestLosingACallForgetsIt: when the registry says another node took a
// call over, this hub forgets it without call.ended, and its subscribers
// end with ErrCallMoved.
func TestLosingACallForgetsIt(t *testing.T) {
	reg := &fakeRegistry{}
	sink := &recordingSink{}
	h, clock := newTestHub(t, Config{Registry: reg, Node: "a", Sinks: []Sink{sink}, Lease: 30 * time.Second, Grace: 5 * time.Second})
	s := mustStart(t, h, "CA8", "MZ-a", "inbound")
	sub, err := h.Subscribe(context.Background(), s.CallID(), SubscribeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s.End("disconnected") // the stream dropped; it reconnected to node b
	reg.mu.Lock()
	reg.lost = []string{s.CallID()}
	reg.mu.Unlock()
	h.renewLeases(context.Background())
	if _, err := drain(t, sub); !errors.Is(err, ErrCallMoved) {
		t.Fatalf("subscription ended with %v, want ErrCallMoved", err)
	}
	clock.Advance(time.Minute) // the grace period would have ended it here
	if got := types(sink.of(s.CallID())); !slices.Equal(got, []event.Type{event.CallStarted}) {
		t.Errorf("events after the call was lost: %v", got)
	}
	if _, err := h.Subscribe(context.Background(), s.CallID(), SubscribeOptions{}); !errors.Is(err, ErrUnknownCall) {
		t.Errorf("subscribe to a lost call: %v", err)
	}
}

func (r *fakeRegistry) Calls(context.Context, time.Time) ([]CallRecord, error) { return nil, nil }
