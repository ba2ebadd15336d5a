package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/webhooks"
)

func testAttempts(t *testing.T, s webhooks.Store) {
	putEndpoint(t, s, "e")
	enqueue(t, s, t0, "A", 1, "e")
	d := claim(t, s, "e", "n", t0, 1)[0]
	complete(t, s, d, "n", t0.Add(time.Second), webhooks.StatusPending, t0.Add(time.Minute), 503)
	d = claim(t, s, "e", "n", t0.Add(time.Minute), 1)[0]
	complete(t, s, d, "n", t0.Add(time.Minute), webhooks.StatusDelivered, time.Time{}, 204)
	as, err := s.Attempts(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(as) != 2 || as[0].N != 1 || as[1].N != 2 || as[0].StatusCode != 503 || as[1].StatusCode != 204 ||
		as[0].Error != "code 503" || as[0].Response != "body" || as[0].DurationMS != 12 || !as[0].StartedAt.Equal(t0.Add(time.Second)) {
		t.Errorf("attempts = %+v", as)
	}
	got := deliveries(t, s, webhooks.DeliveryQuery{ID: d.ID})[0]
	if got.Status != webhooks.StatusDelivered || got.Attempts != 2 || got.Tries != 1 || got.LastStatusCode != 204 || !got.UpdatedAt.Equal(t0.Add(time.Minute)) {
		t.Errorf("delivery = %+v", got)
	}
	if as, err := s.Attempts(ctx, 999999); err != nil || len(as) != 0 {
		t.Errorf("attempts of unknown delivery = %v, %v", as, err)
	}
}

func testRequeue(t *testing.T, s webhooks.Store) {
	putEndpoint(t, s, "e")
	putEndpoint(t, s, "f")
	enqueue(t, s, t0, "A", 1, "e", "f")
	enqueue(t, s, t0, "A", 2, "e")
	enqueue(t, s, t0, "B", 1, "e")
	ds := claim(t, s, "e", "n", t0, 10) // A:1, B:1
	complete(t, s, ds[0], "n", t0, webhooks.StatusDead, time.Time{}, 500)
	complete(t, s, ds[1], "n", t0, webhooks.StatusDelivered, time.Time{}, 200)
	inflight := claim(t, s, "e", "n", t0, 10) // A:2, leased
	if len(inflight) != 1 {
		t.Fatalf("claim = %v", seqs(inflight))
	}
	later := t0.Add(48 * time.Hour)

	n, err := s.Requeue(ctx, webhooks.RequeueRequest{DeliveryID: inflight[0].ID, Now: t0.Add(time.Second)})
	if err != nil || n != 0 {
		t.Errorf("requeue of an in-flight delivery = %d, %v; want 0", n, err)
	}
	n, err = s.Requeue(ctx, webhooks.RequeueRequest{CallID: "A", Statuses: []webhooks.Status{webhooks.StatusDead}, Now: later})
	if err != nil || n != 1 {
		t.Fatalf("requeue dead of A = %d, %v; want 1", n, err)
	}
	got := deliveries(t, s, webhooks.DeliveryQuery{ID: ds[0].ID})[0]
	if got.Status != webhooks.StatusPending || got.Tries != 0 || got.Attempts != 1 || !got.BaseAt.Equal(later) || !got.NextAt.Equal(later) {
		t.Errorf("requeued delivery = %+v", got)
	}
	// By call: every delivery not in flight (the lease of A:2 has expired by
	// now), for one endpoint only.
	n, err = s.Requeue(ctx, webhooks.RequeueRequest{CallID: "A", EndpointID: "f", Now: later})
	if err != nil || n != 1 {
		t.Errorf("requeue A for f = %d, %v; want 1", n, err)
	}
	n, err = s.Requeue(ctx, webhooks.RequeueRequest{DeliveryID: ds[1].ID, Now: later})
	if err != nil || n != 1 {
		t.Errorf("requeue delivered B:1 = %d, %v; want 1", n, err)
	}
	if _, err := s.Requeue(ctx, webhooks.RequeueRequest{Now: later}); err == nil {
		t.Error("requeue without id or call accepted")
	}
}

func testDeliveries(t *testing.T, s webhooks.Store) {
	putEndpoint(t, s, "e")
	putEndpoint(t, s, "f")
	for seq := uint64(1); seq <= 3; seq++ {
		enqueue(t, s, t0, "A", seq, "e", "f")
	}
	enqueue(t, s, t0, "B", 1, "e")
	d := claim(t, s, "f", "n", t0, 1)[0]
	complete(t, s, d, "n", t0, webhooks.StatusDead, time.Time{}, 410)

	count := func(q webhooks.DeliveryQuery) int { return len(deliveries(t, s, q)) }
	for _, c := range []struct {
		q    webhooks.DeliveryQuery
		want int
	}{
		{webhooks.DeliveryQuery{}, 7},
		{webhooks.DeliveryQuery{CallID: "A"}, 6},
		{webhooks.DeliveryQuery{CallID: "A", EndpointID: "f"}, 3},
		{webhooks.DeliveryQuery{Status: webhooks.StatusDead}, 1},
		{webhooks.DeliveryQuery{CallID: "B", Status: webhooks.StatusDead}, 0},
		{webhooks.DeliveryQuery{Limit: 2}, 2},
		{webhooks.DeliveryQuery{ID: d.ID}, 1},
	} {
		if got := count(c.q); got != c.want {
			t.Errorf("Deliveries(%+v) = %d rows, want %d", c.q, got, c.want)
		}
	}
	all := deliveries(t, s, webhooks.DeliveryQuery{})
	page := deliveries(t, s, webhooks.DeliveryQuery{AfterID: all[4].ID})
	if len(page) != 2 || page[0].ID != all[5].ID {
		t.Errorf("page after %d = %v", all[4].ID, page)
	}
	if !slices.IsSortedFunc(all, func(a, b webhooks.Delivery) int { return int(a.ID - b.ID) }) {
		t.Error("deliveries not ordered by id")
	}
}

func testPrune(t *testing.T, s webhooks.Store) {
	putEndpoint(t, s, "e")
	enqueue(t, s, t0, "old", 1, "e")
	enqueue(t, s, t0, "dead", 1, "e")
	enqueue(t, s, t0, "pending", 1, "e")
	ds := claim(t, s, "e", "n", t0, 10)
	complete(t, s, ds[0], "n", t0, webhooks.StatusDelivered, time.Time{}, 200)
	complete(t, s, ds[1], "n", t0, webhooks.StatusDead, time.Time{}, 500)
	complete(t, s, ds[2], "n", t0, webhooks.StatusPending, t0.Add(time.Hour), 500)
	enqueue(t, s, t0.Add(2*time.Hour), "new", 1, "e")
	for _, e := range []webhooks.Entry{
		{Message: webhooks.Message{CallID: "ended-long-ago", CreatedAt: t0}, CallEnded: true},
		{Message: webhooks.Message{CallID: "abandoned", CreatedAt: t0}, Utterances: []event.Utterance{{UtteranceID: "u", Text: "hi"}}},
		{Message: webhooks.Message{CallID: "ended-recently", CreatedAt: t0.Add(2 * time.Hour)}, CallEnded: true},
	} {
		if _, err := s.Enqueue(ctx, e); err != nil {
			t.Fatal(err)
		}
	}

	res, err := s.Prune(ctx, webhooks.PruneRequest{DeliveredBefore: t0.Add(time.Hour), TranscriptsBefore: t0.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Deliveries != 1 || res.Messages != 1 || res.Transcripts != 2 {
		t.Errorf("prune = %+v, want 1 delivery, 1 message, 2 transcripts", res)
	}
	left := seqs(deliveries(t, s, webhooks.DeliveryQuery{}))
	if want := []string{"dead:1", "pending:1", "new:1"}; !slices.Equal(left, want) {
		t.Errorf("left %v, want %v", left, want)
	}
	if as, _ := s.Attempts(ctx, ds[0].ID); len(as) != 0 {
		t.Errorf("attempts of a pruned delivery survive: %v", as)
	}
	if _, err := s.Transcript(ctx, "ended-recently"); err != nil {
		t.Errorf("recent transcript pruned: %v", err)
	}
	_, err = s.Transcript(ctx, "abandoned")
	wantErr(t, "abandoned transcript", err, webhooks.ErrNotFound)
	res, err = s.Prune(ctx, webhooks.PruneRequest{DeadBefore: t0.Add(time.Hour)})
	if err != nil || res.Deliveries != 1 || res.Messages != 1 || res.Transcripts != 0 {
		t.Errorf("prune dead = %+v, %v", res, err)
	}
}

func testTranscript(t *testing.T, s webhooks.Store) {
	_, err := s.Transcript(ctx, "CA1")
	wantErr(t, "unknown call", err, webhooks.ErrNotFound)
	u := func(id, track string, start float64, text string) event.Utterance {
		return event.Utterance{UtteranceID: id, Track: track, Start: start, End: start + 1, Text: text,
			Words: []event.Word{{Word: text, Start: start, End: start + 1, Confidence: 0.9}}}
	}
	steps := []webhooks.Entry{
		{Message: webhooks.Message{CallID: "CA1", CreatedAt: t0}, Utterances: []event.Utterance{u("u2", "outbound", 2, "hello")}},
		{Message: webhooks.Message{CallID: "CA1", CreatedAt: t0.Add(time.Second)}, Utterances: []event.Utterance{u("u1", "inbound", 1, "hi")}},
		{Message: webhooks.Message{CallID: "CA1", CreatedAt: t0.Add(2 * time.Second)}, CallEnded: true,
			Utterances: []event.Utterance{u("u1", "inbound", 1, "hi there"), u("u2", "outbound", 2, "hello"), u("u3", "inbound", 2, "bye")}},
	}
	for i, e := range steps {
		if _, err := s.Enqueue(ctx, e); err != nil {
			t.Fatal(err)
		}
		if i == 1 {
			tr, err := s.Transcript(ctx, "CA1")
			if err != nil || tr.Ended || len(tr.Utterances) != 2 || tr.Utterances[0].Text != "hi" {
				t.Fatalf("mid-call transcript = %+v, %v", tr, err)
			}
		}
	}
	tr, err := s.Transcript(ctx, "CA1")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, x := range tr.Utterances {
		got = append(got, x.Track+":"+x.Text)
	}
	if want := []string{"inbound:hi there", "inbound:bye", "outbound:hello"}; !slices.Equal(got, want) {
		t.Errorf("utterances = %v, want %v", got, want)
	}
	if !tr.Ended || !tr.EndedAt.Equal(t0.Add(2*time.Second)) || len(tr.Utterances[0].Words) != 1 {
		t.Errorf("transcript = %+v", tr)
	}
}
