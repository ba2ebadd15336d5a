package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/callscribe/callscribe/bridge/call"
	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/webhooks"
	"github.com/callscribe/callscribe/webhooks/sqlstore"
)

func registry(t *testing.T, s webhooks.Store) call.Registry {
	t.Helper()
	r, ok := s.(call.Registry)
	if !ok {
		t.Fatalf("%T is not a call.Registry", s)
	}
	return r
}

func openCall(t *testing.T, r call.Registry, id, node string, started time.Time) {
	t.Helper()
	rec := call.CallRecord{CallID: id, Key: "CA-" + id, Node: node, LeaseUntil: started.Add(30 * time.Second),
		Info: event.CallInfo{Source: "twilio", Tracks: []string{"inbound"}, StartedAt: "x"}, StartedAt: started, LastSeq: 1}
	if err := r.OpenCall(ctx, rec); err != nil {
		t.Fatal(err)
	}
}

func ids(recs []call.CallRecord) []string {
	var out []string
	for _, r := range recs {
		out = append(out, r.CallID)
	}
	slices.Sort(out)
	return out
}

func testCallRegistry(t *testing.T, s webhooks.Store) {
	r := registry(t, s)
	boot := t0.Add(20 * time.Second)
	openCall(t, r, "old-a", "a", t0)   // node a's call from before a restarted
	openCall(t, r, "live-b", "b", t0)  // node b's, renewed below
	openCall(t, r, "ended-b", "b", t0) // ended properly
	openCall(t, r, "new-a", "a", boot.Add(time.Second))
	if err := r.EndCall(ctx, "ended-b", t0.Add(10*time.Second)); err != nil {
		t.Fatal(err)
	}
	later := t0.Add(25 * time.Second)
	if lost, err := r.RenewCalls(ctx, "b", later.Add(30*time.Second), []call.CallProgress{{CallID: "live-b", LastSeq: 7, MediaSec: 24.5}}); err != nil || len(lost) != 0 {
		t.Fatalf("renewal: lost %v, %v", lost, err)
	}
	// Node a starts again at boot: its call from before is an orphan, the
	// new one and b's live call are not.
	got, err := r.TakeOrphans(ctx, call.OrphanQuery{Node: "a", Now: later, Until: later.Add(30 * time.Second), Boot: boot})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"old-a"}; !slices.Equal(ids(got), want) {
		t.Fatalf("orphans at a's restart = %v, want %v", ids(got), want)
	}
	if g := got[0]; g.Key != "CA-old-a" || g.Info.Source != "twilio" || g.LastSeq != 1 || !g.StartedAt.Equal(t0) || g.Node != "a" {
		t.Errorf("orphan record = %+v", g)
	}
	// Taken once: the same scan again finds nothing. Then a ends it.
	if got, _ := r.TakeOrphans(ctx, call.OrphanQuery{Node: "a", Now: later, Until: later.Add(30 * time.Second), Boot: boot}); len(got) != 0 {
		t.Errorf("second scan took %v again", ids(got))
	}
	if err := r.EndCall(ctx, "old-a", later); err != nil {
		t.Fatal(err)
	}
	// b dies: once its lease runs out, its live call is an orphan, with
	// the progress it recorded and the seq of events stored since. a
	// renews its own new call meanwhile.
	if _, err := r.RenewCalls(ctx, "a", later.Add(time.Minute), nil); err != nil {
		t.Fatal(err)
	}
	putEndpoint(t, s, "ep")
	enqueue(t, s, later, "live-b", 9, "ep")
	after := later.Add(31 * time.Second)
	got, err = r.TakeOrphans(ctx, call.OrphanQuery{Node: "a", Now: after, Until: after.Add(30 * time.Second), Boot: boot})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"live-b"}; !slices.Equal(ids(got), want) {
		t.Fatalf("orphans after b's lease = %v, want %v", ids(got), want)
	}
	if g := got[0]; g.LastSeq != 9 || g.MediaSec != 24.5 {
		t.Errorf("b's call: last seq %d, media %.1f; want 9 (a stored event), 24.5", g.LastSeq, g.MediaSec)
	}
}

// testConcurrentOrphans lets several nodes scan at once: each orphan is
// taken by exactly one of them.
func testConcurrentOrphans(t *testing.T, s webhooks.Store) {
	r := registry(t, s)
	var want []string
	for i := range 12 {
		id := "dead-" + string(rune('a'+i))
		openCall(t, r, id, "dead", t0)
		want = append(want, id)
	}
	now := t0.Add(time.Hour)
	var mu sync.Mutex
	var taken []call.CallRecord
	var wg sync.WaitGroup
	for n := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			node := "survivor-" + string(rune('0'+n))
			got, err := r.TakeOrphans(ctx, call.OrphanQuery{Node: node, Now: now, Until: now.Add(time.Minute), Boot: now})
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			taken = append(taken, got...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	if got := ids(taken); !slices.Equal(got, want) {
		t.Fatalf("taken %v, want each of %v exactly once", got, want)
	}
}

func testCallUtterances(t *testing.T, s webhooks.Store) {
	r := registry(t, s)
	if us, err := r.CallUtterances(ctx, "none"); err != nil || len(us) != 0 {
		t.Errorf("utterances of an unknown call = %v, %v; want none, nil", us, err)
	}
	u := event.Utterance{UtteranceID: "inbound-1", Track: "inbound", Start: 1, End: 2, Text: "hello"}
	if _, err := s.Enqueue(ctx, webhooks.Entry{Message: webhooks.Message{ID: "m1", CallID: "c1", Seq: 2,
		Type: event.WebhookTranscriptFinal, Payload: []byte(`{}`), CreatedAt: t0}, Utterances: []event.Utterance{u}}); err != nil {
		t.Fatal(err)
	}
	us, err := r.CallUtterances(ctx, "c1")
	if err != nil || len(us) != 1 || us[0].Text != "hello" {
		t.Errorf("utterances = %+v, %v", us, err)
	}
}

// testAdoptCall: a node adopts the open call with a key, whoever held it;
// the former holder's next renewal reports it lost; a key without an open
// call adopts nothing.
func testAdoptCall(t *testing.T, s webhooks.Store) {
	r := registry(t, s)
	openCall(t, r, "call-x", "a", t0)
	if lost, err := r.RenewCalls(ctx, "a", t0.Add(time.Minute), []call.CallProgress{{CallID: "call-x", LastSeq: 5, MediaSec: 12}}); err != nil || len(lost) != 0 {
		t.Fatalf("a's renewal: %v, %v", lost, err)
	}
	putEndpoint(t, s, "ep")
	enqueue(t, s, t0, "call-x", 6, "ep") // stored after a's last renewal
	want := uint64(6)
	if el, ok := s.(eventLogger); ok {
		// A partial the log holds came later still.
		if err := el.EventLog().Publish(ctx, event.Event{Type: event.Transcript, CallID: "call-x", Seq: 7, Time: t0.Format(time.RFC3339Nano)}); err != nil {
			t.Fatal(err)
		}
		want = 7
	}
	rec, ok, err := r.AdoptCall(ctx, "CA-call-x", "b", t0.Add(2*time.Minute))
	if err != nil || !ok {
		t.Fatalf("AdoptCall = %v, %v", ok, err)
	}
	if rec.CallID != "call-x" || rec.Node != "b" || rec.LastSeq != want || rec.MediaSec != 12 || rec.Info.Source != "twilio" {
		t.Errorf("adopted %+v, want last seq %d", rec, want)
	}
	lost, err := r.RenewCalls(ctx, "a", t0.Add(3*time.Minute), []call.CallProgress{{CallID: "call-x", LastSeq: 6}})
	if err != nil || !slices.Equal(lost, []string{"call-x"}) {
		t.Errorf("a's renewal after b adopted: lost %v, %v", lost, err)
	}
	if lost, _ := r.RenewCalls(ctx, "b", t0.Add(3*time.Minute), []call.CallProgress{{CallID: "call-x", LastSeq: 7}}); len(lost) != 0 {
		t.Errorf("b lost its adopted call: %v", lost)
	}
	if err := r.EndCall(ctx, "call-x", t0.Add(4*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := r.AdoptCall(ctx, "CA-call-x", "c", t0.Add(5*time.Minute)); ok || err != nil {
		t.Errorf("an ended call adopted: %v, %v", ok, err)
	}
}

// testRegistryCalls: the listing has every node's open calls and the
// calls ended since the time asked, not older ones.
func testRegistryCalls(t *testing.T, s webhooks.Store) {
	r := registry(t, s)
	openCall(t, r, "open-a", "a", t0)
	openCall(t, r, "ended-late", "b", t0)
	openCall(t, r, "ended-early", "b", t0)
	if err := r.EndCall(ctx, "ended-early", t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := r.EndCall(ctx, "ended-late", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, err := r.Calls(ctx, t0.Add(30*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if ids := ids(got); !slices.Equal(ids, []string{"ended-late", "open-a"}) {
		t.Fatalf("calls %v, want ended-late and open-a", ids)
	}
	for _, c := range got {
		if c.CallID == "open-a" && (c.Node != "a" || !c.EndedAt.IsZero() || c.Info.Source != "twilio") {
			t.Errorf("open call %+v", c)
		}
		if c.CallID == "ended-late" && !c.EndedAt.Equal(t0.Add(time.Hour)) {
			t.Errorf("ended call %+v", c)
		}
	}
}

// eventLogger is a store with an event log.
type eventLogger interface {
	EventLog() *sqlstore.EventLog
}

// testEventLog: events come back from a seq on, in order; an event
// stored twice is kept once.
func testEventLog(t *testing.T, s webhooks.Store) {
	el, ok := s.(eventLogger)
	if !ok {
		t.Skipf("%T keeps no event log", s)
	}
	log := el.EventLog()
	for seq := uint64(1); seq <= 4; seq++ {
		e := event.Event{Type: event.Transcript, CallID: "c1", Seq: seq, Text: fmt.Sprint("text ", seq), Time: t0.Format(time.RFC3339Nano)}
		if err := log.Publish(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	if err := log.Publish(ctx, event.Event{Type: event.Transcript, CallID: "c1", Seq: 2, Text: "again", Time: t0.Format(time.RFC3339Nano)}); err != nil {
		t.Fatal(err)
	}
	got, err := log.Events(ctx, "c1", 2, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Seq != 2 || got[0].Text != "text 2" || got[1].Seq != 3 {
		t.Errorf("events from 2, at most 2: %+v", got)
	}
	if got, _ := log.Events(ctx, "other", 1, 10); len(got) != 0 {
		t.Errorf("events of an unknown call: %+v", got)
	}
	if _, err := s.Prune(ctx, webhooks.PruneRequest{EventsBefore: t0.Add(time.Second)}); err != nil {
		t.Fatal(err)
	}
	if got, _ := log.Events(ctx, "c1", 1, 10); len(got) != 0 {
		t.Errorf("events left after the prune: %d", len(got))
	}
}
