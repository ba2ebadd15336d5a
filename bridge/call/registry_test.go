package call

import (
	"context"
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
}

func (r *fakeRegistry) OpenCall(_ context.Context, rec CallRecord) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.opened = append(r.opened, rec)
	return nil
}

func (r *fakeRegistry) RenewCalls(_ context.Context, node string, until time.Time, p []CallProgress) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.renewals = append(r.renewals, slices.Clone(p))
	return nil
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
