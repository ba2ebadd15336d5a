package webhooks_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/webhooks"
	"github.com/callscribe/callscribe/webhooks/signature"
	"github.com/callscribe/callscribe/webhooks/sqlitestore"
	"github.com/callscribe/callscribe/webhooks/sqlstore"
)

const testSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

// action is what a test receiver does with one request.
type action int

const (
	accept  action = iota // 204
	fail                  // 500
	hang                  // never answer; wait for the client to give up
	goneAct               // 410
)

// received is one accepted request.
type received struct {
	id   string
	ev   event.Event
	body []byte
}

// receiver is a CRM stand-in that verifies signatures and records what it
// accepted, in arrival order.
type receiver struct {
	secret signature.Secret
	plan   func(n int) action // n counts requests from 1

	mu       sync.Mutex
	requests int
	failures int
	badSigs  int
	accepted []received
}

func newReceiver(t *testing.T, plan func(n int) action) (*receiver, *httptest.Server) {
	t.Helper()
	k, err := signature.ParseSecret(testSecret)
	if err != nil {
		t.Fatal(err)
	}
	rc := &receiver{secret: k, plan: plan}
	srv := httptest.NewServer(rc)
	t.Cleanup(srv.Close)
	return rc, srv
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	rc.mu.Lock()
	rc.requests++
	act := accept
	if rc.plan != nil {
		act = rc.plan(rc.requests)
	}
	if verr := signature.Verify(r.Header, body, time.Now(), signature.DefaultTolerance, rc.secret); verr != nil || err != nil {
		rc.badSigs++
		act = fail
	}
	if act == accept {
		var ev event.Event
		if err := json.Unmarshal(body, &ev); err != nil {
			rc.badSigs++
		}
		rc.accepted = append(rc.accepted, received{id: r.Header.Get(signature.HeaderID), ev: ev, body: body})
	} else {
		rc.failures++
	}
	rc.mu.Unlock()
	switch act {
	case accept:
		w.WriteHeader(http.StatusNoContent)
	case hang:
		<-r.Context().Done()
	case goneAct:
		w.WriteHeader(http.StatusGone)
	default:
		http.Error(w, "receiver down", http.StatusInternalServerError)
	}
}

// snapshot returns copies of the receiver's records.
func (rc *receiver) snapshot() (accepted []received, requests, failures, badSigs int) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]received(nil), rc.accepted...), rc.requests, rc.failures, rc.badSigs
}

// fastSchedule retries within milliseconds.
var fastSchedule = webhooks.Schedule{
	Steps:  []time.Duration{20 * time.Millisecond, 50 * time.Millisecond, 100 * time.Millisecond},
	Repeat: 100 * time.Millisecond,
	MaxAge: 5 * time.Minute,
	Jitter: 0.1,
}

// fastConfig is a Config for tests: quick polls, short timeouts.
func fastConfig(endpoints ...webhooks.EndpointConfig) webhooks.Config {
	return webhooks.Config{
		Endpoints:      endpoints,
		RequestTimeout: 300 * time.Millisecond,
		Lease:          10 * time.Second,
		PollInterval:   20 * time.Millisecond,
	}
}

func openStore(t *testing.T) *sqlstore.Store {
	t.Helper()
	s, err := sqlitestore.Open(context.Background(), sqlitestore.Config{Path: filepath.Join(t.TempDir(), "outbox.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func newDispatcher(t *testing.T, s webhooks.Store, cfg webhooks.Config) *webhooks.Dispatcher {
	t.Helper()
	if cfg.Schedule.Steps == nil {
		cfg.Schedule = fastSchedule
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	d, err := webhooks.New(context.Background(), s, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// run runs d until the test ends, then checks that Run returned nil.
func run(t *testing.T, d *webhooks.Dispatcher) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run = %v", err)
		}
	})
}

// waitFor polls cond until it holds or a generous deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// callEvents returns the events of one call: started, then per utterance
// two partials and a final (alternating tracks), a DTMF key in the middle,
// and ended with the whole transcript.
func callEvents(call string, utterances int) []*event.Event {
	var evs []*event.Event
	seq := uint64(0)
	add := func(e *event.Event) {
		seq++
		e.CallID, e.Seq = call, seq
		evs = append(evs, e)
	}
	add(&event.Event{Type: event.CallStarted, Call: &event.CallInfo{Source: "twilio"}})
	var finals []event.Utterance
	for i := range utterances {
		track := []string{"inbound", "outbound"}[i%2]
		uid := fmt.Sprintf("%s-u%d", call, i)
		start := float64(i) * 2.5
		text := fmt.Sprintf("utterance %d of %s", i, call)
		add(&event.Event{Type: event.Transcript, Track: track, UtteranceID: uid, Text: text[:5], Start: start})
		add(&event.Event{Type: event.Transcript, Track: track, UtteranceID: uid, Text: text[:10], Start: start})
		final := &event.Event{Type: event.Transcript, IsFinal: true, Track: track, UtteranceID: uid, Text: text, Start: start, End: start + 2}
		add(final)
		finals = append(finals, event.UtteranceOf(final))
		if i == utterances/2 {
			add(&event.Event{Type: event.DTMF, Digit: "5"})
		}
	}
	event.SortUtterances(finals)
	add(&event.Event{Type: event.CallEnded, Transcript: finals, Call: &event.CallInfo{EndReason: "hangup"}})
	return evs
}

// interleave merges the calls' events round-robin, as concurrent calls
// produce them.
func interleave(calls ...[]*event.Event) []*event.Event {
	var out []*event.Event
	for i := 0; ; i++ {
		n := len(out)
		for _, c := range calls {
			if i < len(c) {
				out = append(out, c[i])
			}
		}
		if len(out) == n {
			return out
		}
	}
}
