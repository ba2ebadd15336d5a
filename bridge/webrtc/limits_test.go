package webrtc

import (
	"errors"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/webrtc/whiptest"
)

// TestLimits: a session ends at MaxDuration, after MediaTimeout without
// audio, and ConnectTimeout after an answer nobody connected to, each with
// its reason.
func TestLimits(t *testing.T) {
	for _, tc := range []struct {
		name    string
		cfg     Config
		client  bool
		want    string
		counted string // the refusal reason reported, if any
	}{
		{"max duration", Config{MaxDuration: 500 * time.Millisecond}, true, ReasonTooLong, bridge.RefusedLimitDuration},
		{"media timeout", Config{MediaTimeout: 300 * time.Millisecond}, true, ReasonNoMedia, bridge.RefusedLimitIdle},
		{"connect timeout", Config{ConnectTimeout: 300 * time.Millisecond}, false, ReasonNoConnection, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			counted := &countedRefusals{}
			tc.cfg.Refusals = counted
			ts := newTestServer(t, tc.cfg)
			if tc.client {
				ts.dial(t, whiptest.Options{Codec: whiptest.PCMU})
			} else if code, body, _ := post(t, ts.url, ContentTypeSDP, offerOf(t, whiptest.Options{Codec: whiptest.PCMU})); code != 201 {
				t.Fatalf("%d %s", code, body)
			}
			eventually(t, 5*time.Second, "the session ends", func() bool { return len(ts.hub.endReasons()) == 1 })
			if got := ts.hub.endReasons(); !slices.Equal(got, []string{tc.want}) {
				t.Errorf("end reasons %v, want %q", got, tc.want)
			}
			want := map[string]int{}
			if tc.counted != "" {
				want[tc.counted] = 1
			}
			if got := counted.snapshot(); !maps.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
				t.Errorf("refusals counted %v, want %v", got, want)
			}
		})
	}
}

func TestConfig(t *testing.T) {
	for _, c := range []Config{
		{MaxDuration: -time.Second},
		{UDPPort: 70000},
		{UDPPortMin: 50000},
		{UDPPortMin: 50010, UDPPortMax: 50000},
		{PublicIPs: []string{"example"}},
		{ICEServers: []ICEServer{{URLs: []string{"http://x"}}}},
		{ICEServers: []ICEServer{{URLs: []string{"turn:127.0.0.1:3478"}}}},
		{ICEFailedTimeout: -time.Second},
	} {
		if err := c.Validate(); !errors.Is(err, ErrBadConfig) {
			t.Errorf("%+v: %v, want ErrBadConfig", c, err)
		}
	}
	good := Config{UDPPortMin: 50000, UDPPortMax: 50100, PublicIPs: []string{"203.0.113.7"},
		ICEServers: []ICEServer{{URLs: []string{"stun:127.0.0.1:3478"}}, {URLs: []string{"turns:127.0.0.1:5349"}, Username: "u", Credential: "p"}}}
	if err := good.Validate(); err != nil {
		t.Errorf("%+v: %v", good, err)
	}
}

// TestPeerClosed: a client that closes its peer connection without DELETE
// (a browser tab closed) ends its session at once, through DTLS's close.
func TestPeerClosed(t *testing.T) {
	ts := newTestServer(t, Config{})
	c := ts.dial(t, whiptest.Options{Codec: whiptest.PCMU})
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	eventually(t, 5*time.Second, "the session ends", func() bool { return ts.srv.Live() == 0 })
	t.Logf("ended %v after the client closed", time.Since(began).Round(time.Millisecond))
	if got := ts.hub.endReasons(); !slices.Equal(got, []string{ReasonDisconnected}) {
		t.Errorf("end reasons %v", got)
	}
}
