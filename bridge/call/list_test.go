package call

import (
	"encoding/json"
	"testing"
	"time"
)

func TestListCalls(t *testing.T) {
	h, clock := newTestHub(t, Config{})
	srv := newTestServer(t, h)
	first := mustStart(t, h, "CA1", "MZa")
	first.End("stop")
	clock.Advance(10 * time.Second)
	second := mustStart(t, h, "CA2", "MZb")

	resp, err := srv.Client().Get(srv.URL + "/v1/calls")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Calls []CallSummary `json:"calls"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	want := []CallSummary{
		{CallID: first.CallID(), Key: "CA1", Source: "twilio", StartedAt: "2026-03-01T12:00:00.000Z",
			Streams: 1, LastSeq: 2, Ended: true, EndedAt: "2026-03-01T12:00:00.000Z"},
		{CallID: second.CallID(), Key: "CA2", Source: "twilio", StartedAt: "2026-03-01T12:00:10.000Z",
			Streams: 1, OpenStreams: 1, LastSeq: 1},
	}
	if len(body.Calls) != len(want) {
		t.Fatalf("calls %+v", body.Calls)
	}
	for i := range want {
		if body.Calls[i] != want[i] {
			t.Errorf("call %d: %+v, want %+v", i, body.Calls[i], want[i])
		}
	}
}
