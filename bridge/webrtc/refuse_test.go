package webrtc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	pion "github.com/pion/webrtc/v4"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/rtpaudio"
	"github.com/callscribe/callscribe/bridge/webrtc/whiptest"
)

// offerOf returns the offer a client made by opts would POST.
func offerOf(t *testing.T, opts whiptest.Options) string {
	t.Helper()
	c, err := whiptest.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	o, err := c.Offer()
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// reason decodes a refusal's JSON body.
func reason(t *testing.T, body string) string {
	t.Helper()
	var e struct {
		Error string `json:"error"`
	}
	if err := json.Unmarshal([]byte(body), &e); err != nil || e.Error == "" {
		t.Errorf("refusal body %q is not {\"error\": reason}", body)
	}
	return e.Error
}

// TestBadOffers: what cannot become a session is refused before anything
// starts, with a status and a reason.
func TestBadOffers(t *testing.T) {
	counted := &countedRefusals{}
	ts := newTestServer(t, Config{MaxTracks: 2, MaxOfferBytes: 8 << 10, Refusals: counted})
	pcmu := offerOf(t, whiptest.Options{Codec: whiptest.PCMU})
	g722 := pion.RTPCodecCapability{MimeType: "audio/G722", ClockRate: 8000, Channels: 1}
	for _, tc := range []struct {
		name, contentType, body, query string
		status                         int
		says                           string
	}{
		{"another content type", "text/plain", pcmu, "", 415, "application/sdp"},
		{"malformed SDP", ContentTypeSDP, "hello, server", "", 400, "malformed"},
		{"an offer without audio", ContentTypeSDP, offerOf(t, whiptest.Options{Tracks: -1}), "", 400, "no audio"},
		{"only unsupported codecs", ContentTypeSDP, offerOf(t, whiptest.Options{Codec: g722}), "", 415, "PCMU"},
		{"Opus where the server has no decoder", ContentTypeSDP, offerOf(t, whiptest.Options{}), "", 415, "none of"},
		{"too many tracks", ContentTypeSDP, offerOf(t, whiptest.Options{Tracks: 3, Codec: whiptest.PCMU}), "", 400, "at most 2"},
		{"a bad track label", ContentTypeSDP, pcmu, "?tracks=" + url.QueryEscape("a b"), 400, "label"},
		{"more labels than tracks", ContentTypeSDP, pcmu, "?tracks=a,b", 400, "labels"},
		{"an offer too big", ContentTypeSDP, pcmu + strings.Repeat("a=x\r\n", 2000), "", 413, "exceeds"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, body, _ := post(t, ts.url+tc.query, tc.contentType, tc.body)
			if code != tc.status || !strings.Contains(reason(t, body), tc.says) {
				t.Errorf("%d %s, want %d saying %q", code, body, tc.status, tc.says)
			}
		})
	}
	ts.hub.mu.Lock()
	defer ts.hub.mu.Unlock()
	if len(ts.hub.starts) != 0 || ts.srv.Live() != 0 {
		t.Errorf("refused offers started %d calls, %d sessions", len(ts.hub.starts), ts.srv.Live())
	}
	if got := counted.snapshot(); !maps.Equal(got, map[string]int{bridge.RefusedBadRequest: 9}) {
		t.Errorf("refusals counted %v, want 9 bad requests", got)
	}
}

// TestRefusals: capacity, MaxSessions, draining, Authorize and shutdown
// answer 503 (or what Authorize chose) with a JSON reason, and start
// nothing.
func TestRefusals(t *testing.T) {
	counted := &countedRefusals{}
	ts := newTestServer(t, Config{MaxSessions: 1, Refusals: counted, NewOpusDecoder: func() (rtpaudio.Decoder, error) { return fakeOpus{new(int)}, nil },
		Authorize: func(r *http.Request) (func(), error) {
			if r.URL.Query().Get("who") == "greedy" {
				return nil, &HTTPError{Status: 429, Reason: "too many calls for this key"}
			}
			if r.URL.Query().Get("who") == "stranger" {
				return nil, errors.New("unknown")
			}
			return func() {}, nil
		}})
	offer := offerOf(t, whiptest.Options{})
	try := func(query string) (int, string, http.Header) { return post(t, ts.url+query, ContentTypeSDP, offer) }

	ts.admission.set(errors.New("pool full"))
	if code, body, h := try(""); code != 503 || reason(t, body) != "server at capacity, retry later" || h.Get("Retry-After") == "" {
		t.Errorf("at capacity: %d %s %v", code, body, h)
	}
	ts.admission.set(fmt.Errorf("%w: going away", bridge.ErrDraining))
	if code, body, _ := try(""); code != 503 || !strings.Contains(reason(t, body), "draining") {
		t.Errorf("draining: %d %s", code, body)
	}
	ts.admission.set(nil)
	if code, body, _ := try("?who=greedy"); code != 429 || reason(t, body) != "too many calls for this key" {
		t.Errorf("Authorize's refusal: %d %s", code, body)
	}
	if code, body, _ := try("?who=stranger"); code != 403 {
		t.Errorf("Authorize's error: %d %s", code, body)
	}
	c := ts.dial(t, whiptest.Options{})
	if code, body, _ := try(""); code != 503 || !strings.Contains(reason(t, body), "too many") {
		t.Errorf("past MaxSessions: %d %s", code, body)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if code, err := c.Delete(ctx); err != nil || code != 200 {
		t.Fatalf("DELETE: %d %v", code, err)
	}
	if err := ts.srv.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if code, body, _ := try(""); code != 503 {
		t.Errorf("after shutdown: %d %s", code, body)
	}
	ts.hub.mu.Lock()
	defer ts.hub.mu.Unlock()
	if len(ts.hub.starts) != 1 || ts.srv.Stats.Refused.Load() != 6 {
		t.Errorf("%d calls started, %d refused", len(ts.hub.starts), ts.srv.Stats.Refused.Load())
	}
	// Authorize counts its own refusals; the rest are counted here.
	want := map[string]int{bridge.RefusedCapacity: 2, bridge.RefusedDraining: 2}
	if got := counted.snapshot(); !maps.Equal(got, want) {
		t.Errorf("refusals counted %v, want %v", got, want)
	}
}

// TestTrackOpenFails: a transcriber that cannot open a track refuses the
// session with 503, and what was started is ended.
func TestTrackOpenFails(t *testing.T) {
	ts := newTestServer(t, Config{})
	ts.hub.failOpen = errors.New("at capacity")
	code, body, _ := post(t, ts.url, ContentTypeSDP, offerOf(t, whiptest.Options{Codec: whiptest.PCMU}))
	if code != 503 || !strings.Contains(reason(t, body), "capacity") {
		t.Errorf("%d %s", code, body)
	}
	if got := ts.hub.endReasons(); len(got) != 1 || ts.srv.Live() != 0 {
		t.Errorf("end reasons %v, %d live", got, ts.srv.Live())
	}
}
