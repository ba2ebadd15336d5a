package webrtc

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/callscribe/callscribe/bridge/webrtc/whiptest"
)

// TestAnswerHeaders: the 201 carries what RFC 9725 asks, and the CORS
// headers a page needs to read it.
func TestAnswerHeaders(t *testing.T) {
	ts := newTestServer(t, Config{GatherTimeout: 200 * time.Millisecond,
		ICEServers: []ICEServer{{URLs: []string{"stun:127.0.0.1:3478"}}, {URLs: []string{"turn:127.0.0.1:3478?transport=udp"}, Username: "u", Credential: "p"}}})
	code, body, h := post(t, ts.url, ContentTypeSDP, offerOf(t, whiptest.Options{Codec: whiptest.PCMU}))
	if code != http.StatusCreated || !strings.HasPrefix(body, "v=0") {
		t.Fatalf("%d %s", code, body)
	}
	if !strings.HasPrefix(h.Get("Location"), "/whip/wr_") || h.Get("Content-Type") != ContentTypeSDP ||
		!strings.HasPrefix(h.Get("ETag"), `"`) || h.Get("Accept-Patch") != ContentTypeTrickle {
		t.Errorf("headers %v", h)
	}
	links := h.Values("Link")
	if len(links) != 2 || links[0] != `<stun:127.0.0.1:3478>; rel="ice-server"` ||
		!strings.Contains(links[1], `username="u"; credential="p"; credential-type="password"`) {
		t.Errorf("Link %q", links)
	}
	if h.Get("Access-Control-Allow-Origin") != "*" || !strings.Contains(h.Get("Access-Control-Expose-Headers"), "Location") {
		t.Errorf("CORS headers %v", h)
	}
	// a session nobody connects to ends after ConnectTimeout; this one is
	// ended by the test's Shutdown
}

// TestPreflight: OPTIONS answers a browser's preflight without a
// credential.
func TestPreflight(t *testing.T) {
	ts := newTestServer(t, Config{})
	for _, u := range []string{ts.url, ts.url + "/wr_x"} {
		req, _ := http.NewRequest(http.MethodOptions, u, nil)
		req.Header.Set("Origin", "https://agent.example")
		req.Header.Set("Access-Control-Request-Method", "POST")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		h := resp.Header
		if resp.StatusCode != 204 || !strings.Contains(h.Get("Access-Control-Allow-Methods"), "DELETE") ||
			!strings.Contains(h.Get("Access-Control-Allow-Headers"), "Authorization") || h.Get("Accept-Post") != ContentTypeSDP {
			t.Errorf("%s: %d %v", u, resp.StatusCode, h)
		}
	}
}

// TestTrickle: PATCH takes candidates in an SDP fragment; the wrong type,
// ETag, an ICE restart and an unknown session are refused as RFC 9725
// says.
func TestTrickle(t *testing.T) {
	ts := newTestServer(t, Config{})
	c := ts.dial(t, whiptest.Options{Codec: whiptest.PCMU})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ufrag := ""
	for _, l := range strings.Split(c.PC.LocalDescription().SDP, "\r\n") {
		if v, ok := strings.CutPrefix(l, "a=ice-ufrag:"); ok {
			ufrag = v
		}
	}
	frag := func(ufrag string) string {
		return fmt.Sprintf("a=ice-ufrag:%s\r\na=ice-pwd:whatever\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\n"+
			"a=candidate:1 1 udp 2130706431 127.0.0.1 40000 typ host\r\na=end-of-candidates\r\n", ufrag)
	}
	patch := func(u, contentType, ifMatch, body string) int {
		t.Helper()
		h := http.Header{}
		if ifMatch != "" {
			h.Set("If-Match", ifMatch)
		}
		a, err := c.Do(ctx, http.MethodPatch, u, contentType, body, h)
		if err != nil {
			t.Fatal(err)
		}
		return a.Status
	}
	for _, tc := range []struct {
		name, url, contentType, ifMatch, body string
		want                                  int
	}{
		{"candidates", c.Location, ContentTypeTrickle, c.ETag, frag(ufrag), 204},
		{"candidates without If-Match", c.Location, ContentTypeTrickle, "", frag(ufrag), 204},
		{"another content type", c.Location, ContentTypeSDP, c.ETag, frag(ufrag), 415},
		{"a stale ETag", c.Location, ContentTypeTrickle, `"stale"`, frag(ufrag), 412},
		{"an ICE restart", c.Location, ContentTypeTrickle, "*", frag("newufrag"), 422},
		{"new credentials", c.Location, ContentTypeTrickle, c.ETag, frag("newufrag"), 422},
		{"not a fragment", c.Location, ContentTypeTrickle, c.ETag, "hello", 400},
		{"an unknown session", c.Location + "x", ContentTypeTrickle, "", frag(ufrag), 404},
	} {
		if got := patch(tc.url, tc.contentType, tc.ifMatch, tc.body); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
	}
	if a, err := c.Do(ctx, http.MethodGet, c.Location, "", "", nil); err != nil || a.Status != 405 {
		t.Errorf("GET on the session: %d %v", a.Status, err)
	}
}

// TestSingleUDPPort: with Config.UDPPort every session shares one UDP
// port, which Shutdown frees.
func TestSingleUDPPort(t *testing.T) {
	probe, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	port := probe.LocalAddr().(*net.UDPAddr).Port
	probe.Close()
	ts := newTestServer(t, Config{UDPPort: port})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var clients []*whiptest.Client
	for range 2 {
		c := ts.dial(t, whiptest.Options{Codec: whiptest.PCMU})
		if !strings.Contains(c.Answer, fmt.Sprintf(" %d typ host", port)) {
			t.Errorf("answer's candidates are not on port %d:\n%s", port, c.Answer)
		}
		clients = append(clients, c)
	}
	for _, c := range clients {
		if _, err := c.Play(ctx, whiptest.Play{Ticks: 160}, pcmu(10)); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, 5*time.Second, "both sessions get audio", func() bool {
		ts.hub.mu.Lock()
		defer ts.hub.mu.Unlock()
		n := 0
		for _, s := range ts.hub.sinks {
			if total, _, _ := s.audio(); total > 0 {
				n++
			}
		}
		return n == 2
	})
	if err := ts.srv.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	again, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: port})
	if err != nil {
		t.Fatalf("port %d still taken after Shutdown: %v", port, err)
	}
	again.Close()
}
