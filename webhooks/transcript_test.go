package webhooks_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/callscribe/callscribe/webhooks"
)

func TestTranscriptHandler(t *testing.T) {
	ctx := context.Background()
	store := openStore(t)
	d := newDispatcher(t, store, fastConfig()) // no endpoints: transcripts are kept anyway
	evs := callEvents("CA-t", 3)
	for _, ev := range evs[:len(evs)-1] {
		if err := d.Enqueue(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	h := webhooks.TranscriptHandler(store, nil)
	get := func(path, accept string) (int, string, string) {
		req := httptest.NewRequest("GET", path, nil)
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		body, _ := io.ReadAll(rec.Body)
		return rec.Code, rec.Header().Get("Content-Type"), string(body)
	}

	var tr webhooks.Transcript
	code, _, body := get("/v1/calls/CA-t/transcript", "")
	if err := json.Unmarshal([]byte(body), &tr); err != nil || code != 200 || tr.Ended || len(tr.Utterances) != 3 {
		t.Fatalf("mid-call JSON = %d %s", code, body)
	}
	if err := d.Enqueue(ctx, evs[len(evs)-1]); err != nil { // call.ended
		t.Fatal(err)
	}
	_, _, body = get("/v1/calls/CA-t/transcript?format=json", "")
	if err := json.Unmarshal([]byte(body), &tr); err != nil || !tr.Ended || tr.Utterances[0].Text != "utterance 0 of CA-t" || tr.Utterances[2].Start != 5 {
		t.Errorf("ended JSON = %s", body)
	}

	cases := []struct{ path, accept, ctype, contains string }{
		{"/v1/calls/CA-t/transcript?format=text", "", "text/plain", "[outbound 00:02] utterance 1 of CA-t\n"},
		{"/v1/calls/CA-t/transcript?format=srt", "", "application/x-subrip", "2\n00:00:02,500 --> 00:00:04,500\n[outbound] utterance 1 of CA-t\n"},
		{"/v1/calls/CA-t/transcript?format=vtt", "", "text/vtt", "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\n<v inbound>utterance 0 of CA-t\n"},
		{"/v1/calls/CA-t/transcript", "text/vtt", "text/vtt", "WEBVTT"},
		{"/v1/calls/CA-t/transcript", "application/x-subrip;q=0.9, text/plain", "application/x-subrip", "1\n00:00:00,000"},
		{"/v1/calls/CA-t/transcript", "text/html, text/plain;q=0.5", "text/plain", "[inbound 00:00]"},
		{"/v1/calls/CA-t/transcript", "image/png", "application/json", `"call_id":"CA-t"`},
		{"/v1/calls/CA-t/transcript?format=srt", "text/vtt", "application/x-subrip", "-->"}, // the parameter wins
	}
	for _, c := range cases {
		code, ctype, body := get(c.path, c.accept)
		if code != http.StatusOK || !strings.HasPrefix(ctype, c.ctype) || !strings.Contains(body, c.contains) {
			t.Errorf("GET %s (Accept %q) = %d %s\n%s\nwant %s containing %q", c.path, c.accept, code, ctype, body, c.ctype, c.contains)
		}
	}
	if code, _, _ := get("/v1/calls/nope/transcript", ""); code != http.StatusNotFound {
		t.Errorf("unknown call = %d, want 404", code)
	}
	if code, _, _ := get("/v1/calls/CA-t/transcript?format=docx", ""); code != http.StatusBadRequest {
		t.Errorf("unknown format = %d, want 400", code)
	}
}
