package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge/call"
	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/bridge/twilio"
	"github.com/callscribe/callscribe/bridge/twilio/twiliotest"
	"github.com/callscribe/callscribe/bridge/twilio/wire"
	"github.com/callscribe/callscribe/transcribe/wer"
	"github.com/callscribe/callscribe/webhooks/pgstore/pgtest"
	"github.com/callscribe/callscribe/webhooks/signature"
)

// TestACallSurvivesItsNode runs two server processes on one PostgreSQL
// store, as two replicas behind a load balancer. A Twilio call streams to
// node a while a subscriber on node b watches it live; a is killed with
// SIGKILL mid-call, and the platform's stream reconnects, with the same
// callSid, to b, which carries on the call: the same call id, seq going
// on, utterance times in call time after a's, and the subscriber on b
// never notices. The CRM receives every final once and one call.ended
// whose transcript holds both nodes' finals. A second call on a, whose
// stream never comes back and whose webhooks the CRM refused while a was
// up, is ended by b once its lease runs out (interrupted, with its
// transcript), and b delivers what a could not.
func TestACallSurvivesItsNode(t *testing.T) {
	dsn := pgtest.Start(t).NewDatabase(t)
	secret, err := signature.NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	rcv := &webhookReceiver{secret: secret}
	crm := httptest.NewServer(rcv)
	defer crm.Close()
	args := func(node string) []string {
		return []string{"--model", modelPath(t), "--vad-model", vadModelPath(t), "--data-dir", t.TempDir(),
			"--store", dsn, "--node", node, "--call-lease", "5s", "--workers", "1", "--grace", "2s", "--log-level", "warn",
			"--webhook-url", crm.URL, "--webhook-secret", secret.String()}
	}
	nodeA, addrA := startChild(t, args("a")...)
	_, addrB := startChild(t, args("b")...)

	clips := corpus(t)
	silence := func(sec float64) []float32 { return make([]float32, int(sec*16000)) }
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()

	// A call on a whose webhooks the CRM refuses for now: they stay in
	// the outbox.
	orphan, orphanFinal := startOrphan(ctx, t, addrA, rcv, slices.Concat(silence(0.5), clips["LJ001-0002"].Samples(), silence(60)))
	defer orphan.Close()

	// The call that moves starts on a.
	info := twiliotest.StreamInfo{AccountSID: "AC9", CallSID: "CA-nodes", StreamSID: "MZ-a",
		CustomParameters: map[string]string{twilio.ParamTranscripts: "true"}}
	onA, err := twiliotest.Dial(ctx, "ws://"+addrA+"/v1/twilio", info)
	if err != nil {
		t.Fatal(err)
	}
	defer onA.Close()
	if err := onA.Begin(); err != nil {
		t.Fatal(err)
	}
	audioA := slices.Concat(silence(0.5), clips["LJ001-0002"].Samples(), silence(1), clips["LJ001-0001"].Samples())
	go func() {
		_ = onA.Play(ctx, twiliotest.PlayOptions{}, twiliotest.TrackAudio{Track: wire.TrackInbound, Audio: telephone(t, audioA)})
	}()

	// b lists it as a's call, and a subscriber on b follows it.
	callID := waitListed(t, addrB, "CA-nodes", "a")
	watcher := watchCall(ctx, t, "ws://"+addrB+"/v1/calls/"+callID+"/events?from_seq=1")

	// Kill a once its first final is out and the next utterance has had
	// three partials: mid-utterance.
	var producedOnA []event.Event
	for finals, partials := 0, 0; ; {
		var e event.Event
		_ = onA.Conn().SetReadDeadline(time.Now().Add(time.Minute))
		if err := onA.Conn().ReadJSON(&e); err != nil {
			t.Fatalf("a's back-channel ended before the kill: %v", err)
		}
		producedOnA = append(producedOnA, e)
		if e.Type == event.Transcript && !e.IsFinal && finals > 0 {
			if partials++; partials == 3 {
				break
			}
		}
		if e.Type == event.Transcript && e.IsFinal {
			finals++
		}
	}
	deliveredBeforeKill := rcv.snapshot()
	if err := nodeA.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = nodeA.Wait()
	finalsOfA := finalsOf(producedOnA)
	lastSeqOfA := producedOnA[len(producedOnA)-1].Seq
	t.Logf("killed node a at seq %d, %d finals produced there", lastSeqOfA, len(finalsOfA))

	// The subscriber on b saw a's call live, partials included.
	watcher.waitFor(t, func(es []event.Event) bool { return len(finalsOf(es)) >= len(finalsOfA) })
	if seen := watcher.events(); !slices.ContainsFunc(seen, func(e event.Event) bool { return e.Type == event.Transcript && !e.IsFinal }) {
		t.Error("the subscriber on b saw no partial of the call a held")
	}

	// The platform reconnects the call's stream to b.
	info.StreamSID = "MZ-b"
	info.CustomParameters = nil
	onB, err := twiliotest.Dial(ctx, "ws://"+addrB+"/v1/twilio", info)
	if err != nil {
		t.Fatal(err)
	}
	defer onB.Close()
	if err := onB.Begin(); err != nil {
		t.Fatal(err)
	}
	audioB := slices.Concat(silence(0.5), clips["LJ001-0004"].Samples(), silence(1.5))
	if err := onB.Play(ctx, twiliotest.PlayOptions{}, twiliotest.TrackAudio{Track: wire.TrackInbound, Audio: telephone(t, audioB)}); err != nil {
		t.Fatal(err)
	}
	if err := onB.SendStop(); err != nil {
		t.Fatal(err)
	}

	// The subscriber on b stayed on through the move and saw the call end.
	watcher.waitFor(t, func(es []event.Event) bool {
		return len(es) > 0 && es[len(es)-1].Type == event.CallEnded
	})
	seen := watcher.events()
	for i, e := range seen {
		if e.CallID != callID {
			t.Errorf("event %d is of call %s, want %s", i, e.CallID, callID)
		}
		if i > 0 && e.Seq <= seen[i-1].Seq {
			t.Errorf("seq went from %d to %d", seen[i-1].Seq, e.Seq)
		}
	}
	ended := seen[len(seen)-1]
	if ended.Call == nil || ended.Call.EndReason == call.EndInterrupted {
		t.Errorf("call.ended after the move: %+v", ended.Call)
	}
	finals := finalsOf(seen)
	var finalsOfB []event.Event
	ids := map[string]bool{}
	lastEndOfA := 0.0
	for _, f := range finalsOfA {
		lastEndOfA = max(lastEndOfA, f.End)
	}
	for _, f := range finals {
		if ids[f.UtteranceID] {
			t.Errorf("utterance %s final twice", f.UtteranceID)
		}
		ids[f.UtteranceID] = true
		if f.StreamID != info.StreamSID {
			continue
		}
		finalsOfB = append(finalsOfB, f)
		if f.Start < lastEndOfA {
			t.Errorf("b's final %s starts at %.2f s, before a's last final ended (%.2f s): call time went back", f.UtteranceID, f.Start, lastEndOfA)
		}
	}
	for _, f := range finalsOfA {
		if !ids[f.UtteranceID] {
			t.Errorf("the subscriber on b missed a's final %s %q", f.UtteranceID, f.Text)
		}
	}
	var saidOnB []string
	for _, f := range finalsOfB {
		saidOnB = append(saidOnB, f.Text)
	}
	if r := wer.Compute(clips["LJ001-0004"].Reference, strings.Join(saidOnB, " ")); r.WER > 0.25 {
		t.Errorf("what b transcribed after the move: WER %.2f: %q", r.WER, saidOnB)
	}

	// b ended the call whose stream never came back, and delivered what
	// the CRM had refused from a.
	rcv.mu.Lock()
	rcv.refuse = ""
	rcv.mu.Unlock()
	orphanEnded := waitInterrupted(t, rcv, orphanFinal.CallID)
	if len(orphanEnded.Transcript) != 1 || orphanEnded.Transcript[0].UtteranceID != orphanFinal.UtteranceID {
		t.Errorf("the orphan's call.ended transcript %+v, want its final %s", orphanEnded.Transcript, orphanFinal.UtteranceID)
	}
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline) && len(missing(rcv, []event.Event{orphanFinal})) > 0; {
		time.Sleep(200 * time.Millisecond)
	}
	if m := missing(rcv, []event.Event{orphanFinal}); len(m) > 0 {
		t.Errorf("the final the CRM refused while a was up never arrived from b: %v", m)
	}

	// The CRM got every final and one call.ended with both nodes' finals.
	crmEnded := waitEnded(t, rcv, callID)
	inTranscript := map[string]bool{}
	for _, u := range crmEnded.Transcript {
		inTranscript[u.UtteranceID] = true
	}
	for _, f := range finals {
		if !inTranscript[f.UtteranceID] {
			t.Errorf("call.ended's transcript lacks %s %q", f.UtteranceID, f.Text)
		}
	}
	if m := missing(rcv, finals); len(m) > 0 {
		t.Errorf("finals the CRM never got: %v", m)
	}
	delivered := rcv.snapshot()
	endedIDs := map[string]bool{}
	for _, d := range delivered {
		if d.event.CallID == callID && d.event.Type == event.CallEnded {
			endedIDs[d.id] = true
		}
	}
	if len(endedIDs) != 1 {
		t.Errorf("the CRM got %d distinct call.ended, want 1", len(endedIDs))
	}
	// With both nodes up, their dispatchers share the outbox and deliver
	// each event once; after the kill, an event a was delivering may come
	// again from b, under the same webhook-id. b's own events come once.
	checkDeliveries(t, "before the kill", deliveredBeforeKill, func(event.Event) bool { return true })
	checkDeliveries(t, "of b's events", delivered, func(e event.Event) bool {
		return e.StreamID == info.StreamSID || e.Type == event.CallEnded
	})
	t.Logf("finals: %d on a, %d on b; CRM requests: %d before the kill, %d in all", len(finalsOfA), len(finalsOfB),
		len(deliveredBeforeKill), len(delivered))
	// How far behind a's events the subscriber on b was (same host clock;
	// the first events are a backlog read at subscription, not lag).
	var lags []time.Duration
	watcher.mu.Lock()
	for i, e := range watcher.seen {
		if e.Seq > 2 && e.Seq <= lastSeqOfA && watcher.lag[i] >= 0 {
			lags = append(lags, watcher.lag[i])
		}
	}
	watcher.mu.Unlock()
	if len(lags) > 0 {
		slices.Sort(lags)
		t.Logf("follow lag of the subscriber on b: %d events, median %v, max %v", len(lags), lags[len(lags)/2], lags[len(lags)-1])
	}
}

// startOrphan starts a call on addr whose deliveries rcv refuses, plays
// audio on it in the background, and returns once its first final is out.
func startOrphan(ctx context.Context, t *testing.T, addr string, rcv *webhookReceiver, audio []float32) (*twiliotest.Client, event.Event) {
	t.Helper()
	c, err := twiliotest.Dial(ctx, "ws://"+addr+"/v1/twilio", twiliotest.StreamInfo{AccountSID: "AC9", CallSID: "CA-orphan",
		StreamSID: "MZ-orphan", CustomParameters: map[string]string{twilio.ParamTranscripts: "true", twilio.ParamPartials: "false"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Begin(); err != nil {
		t.Fatal(err)
	}
	go func() {
		_ = c.Play(ctx, twiliotest.PlayOptions{}, twiliotest.TrackAudio{Track: wire.TrackInbound, Audio: telephone(t, audio)})
	}()
	for {
		var e event.Event
		_ = c.Conn().SetReadDeadline(time.Now().Add(time.Minute))
		if err := c.Conn().ReadJSON(&e); err != nil {
			t.Fatalf("the orphan's back-channel: %v", err)
		}
		if e.Type == event.CallStarted {
			rcv.mu.Lock()
			rcv.refuse = e.CallID
			rcv.mu.Unlock()
		}
		if e.Type == event.Transcript && e.IsFinal {
			return c, e
		}
	}
}

// delivery is one request the webhook receiver accepted.
type delivery struct {
	event event.Event
	id    string
}

// snapshot returns the deliveries accepted so far.
func (rcv *webhookReceiver) snapshot() []delivery {
	rcv.mu.Lock()
	defer rcv.mu.Unlock()
	out := make([]delivery, len(rcv.events))
	for i, e := range rcv.events {
		out[i] = delivery{event: e, id: rcv.ids[i]}
	}
	return out
}

// checkDeliveries fails t when an event that matches was delivered more
// than once, or under two webhook-ids.
func checkDeliveries(t *testing.T, what string, ds []delivery, match func(event.Event) bool) {
	t.Helper()
	seen := map[string]string{}
	for _, d := range ds {
		if !match(d.event) {
			continue
		}
		key := fmt.Sprintf("%s/%d", d.event.CallID, d.event.Seq)
		if id, ok := seen[key]; ok {
			t.Errorf("deliveries %s: %s %s delivered twice (webhook-ids %s, %s)", what, key, d.event.Type, id, d.id)
		}
		seen[key] = d.id
	}
}

// finalsOf returns the final transcripts among es.
func finalsOf(es []event.Event) []event.Event {
	var out []event.Event
	for _, e := range es {
		if e.Type == event.Transcript && e.IsFinal {
			out = append(out, e)
		}
	}
	return out
}

// waitEnded waits for the CRM to receive the call's call.ended.
func waitEnded(t *testing.T, rcv *webhookReceiver, callID string) event.Event {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		for _, d := range rcv.snapshot() {
			if d.event.CallID == callID && d.event.Type == event.CallEnded {
				return d.event
			}
		}
	}
	t.Fatalf("the CRM got no call.ended for %s", callID)
	return event.Event{}
}

// waitListed waits until addr's /v1/calls lists the open call whose
// platform key is key as held by node, and returns its id.
func waitListed(t *testing.T, addr, key, node string) string {
	t.Helper()
	var last []call.CallSummary
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		r, err := http.Get("http://" + addr + "/v1/calls")
		if err != nil {
			t.Fatal(err)
		}
		var list struct {
			Calls []call.CallSummary `json:"calls"`
		}
		err = json.NewDecoder(r.Body).Decode(&list)
		r.Body.Close()
		if err != nil {
			t.Fatalf("/v1/calls: %v", err)
		}
		last = list.Calls
		for _, c := range list.Calls {
			if c.Key == key && c.Node == node && !c.Ended {
				return c.CallID
			}
		}
	}
	t.Fatalf("%s never listed call %s on node %s: %+v", addr, key, node, last)
	return ""
}

// callWatcher is a subscriber reading a call's events in the background.
type callWatcher struct {
	mu   sync.Mutex
	seen []event.Event
	// lag is, per event, how long after its hub stamped it it arrived.
	lag  []time.Duration
	done chan struct{}
	err  error
}

// watchCall subscribes to a call's events over WebSocket at url.
func watchCall(ctx context.Context, t *testing.T, url string) *callWatcher {
	t.Helper()
	conn, resp, err := websocket.DefaultDialer.DialContext(ctx, url, nil)
	if err != nil {
		t.Fatalf("subscribing at %s: %v", url, err)
	}
	resp.Body.Close()
	t.Cleanup(func() { conn.Close() })
	w := &callWatcher{done: make(chan struct{})}
	go func() {
		defer close(w.done)
		for {
			var e event.Event
			if err := conn.ReadJSON(&e); err != nil {
				w.mu.Lock()
				w.err = err
				w.mu.Unlock()
				return
			}
			lag := time.Duration(-1)
			if at, err := time.Parse(time.RFC3339Nano, e.Time); err == nil {
				lag = time.Since(at)
			}
			w.mu.Lock()
			w.seen, w.lag = append(w.seen, e), append(w.lag, lag)
			w.mu.Unlock()
		}
	}()
	return w
}

// events returns what the subscriber received so far.
func (w *callWatcher) events() []event.Event {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.seen)
}

// waitFor waits until what the subscriber received satisfies ok.
func (w *callWatcher) waitFor(t *testing.T, ok func([]event.Event) bool) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if ok(w.events()) {
			return
		}
		select {
		case <-w.done:
			if ok(w.events()) {
				return
			}
			t.Fatalf("the subscription ended: %v; received %d events", w.err, len(w.events()))
		default:
		}
	}
	t.Fatalf("waiting for the subscriber: received %d events", len(w.events()))
}
