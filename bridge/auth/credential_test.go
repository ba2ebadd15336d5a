package auth

import (
	"errors"
	"net/http/httptest"
	"net/netip"
	"testing"
)

func TestCredential(t *testing.T) {
	for _, c := range []struct {
		target, header string
		subprotocol    string
		want           string
		fromQuery      bool
		err            error
	}{
		{target: "/x", header: "Bearer cs_k", want: "cs_k"},
		{target: "/x", header: "bearer   cs_k ", want: "cs_k"},
		{target: "/x", header: "Token cs_k", want: "cs_k"},
		{target: "/x?token=cst_t", want: "cst_t", fromQuery: true},
		{target: "/x?token=cst_t", header: "Bearer cs_k", want: "cs_k"},
		{target: "/x", err: ErrNoCredential},
		{target: "/x?token=", err: ErrNoCredential},
		{target: "/x", header: "Basic dXNlcjpwdw==", err: ErrBadCredential},
		{target: "/x", header: "Bearer", err: ErrBadCredential},
		// A browser's WebSocket: the credential as a subprotocol offer.
		{target: "/x", subprotocol: "token, cs_k", want: "cs_k"},
		{target: "/x", subprotocol: "bearer,cst_t", want: "cst_t"},
		{target: "/x?token=cst_q", subprotocol: "token, cs_k", want: "cst_q", fromQuery: true},
		{target: "/x", header: "Token cs_h", subprotocol: "token, cs_k", want: "cs_h"},
		{target: "/x", subprotocol: "token", err: ErrNoCredential},
		{target: "/x", subprotocol: "chat, cs_k", err: ErrNoCredential},
	} {
		r := httptest.NewRequest("GET", c.target, nil)
		if c.header != "" {
			r.Header.Set("Authorization", c.header)
		}
		if c.subprotocol != "" {
			r.Header.Set("Sec-WebSocket-Protocol", c.subprotocol)
		}
		got, q, err := credential(r)
		if !errors.Is(err, c.err) || got != c.want || q != c.fromQuery {
			t.Errorf("%s %q: %q, %v, %v; want %q, %v, %v", c.target, c.header, got, q, err, c.want, c.fromQuery, c.err)
		}
	}
	r := httptest.NewRequest("GET", "/v1/calls/x/events?from_seq=3&token=cst_secret", nil)
	r2 := withoutQueryToken(r)
	if r2.URL.RawQuery != "from_seq=3" || r2.RequestURI != "/v1/calls/x/events?from_seq=3" {
		t.Errorf("stripped URL %q, RequestURI %q", r2.URL.RawQuery, r2.RequestURI)
	}
	if r.URL.Query().Get("token") != "cst_secret" {
		t.Error("the original request was changed")
	}
}

func TestClientIP(t *testing.T) {
	proxies, err := ParseProxies("10.0.0.0/8, 192.0.2.7")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		remote, xff, want string
	}{
		{"203.0.113.5:1234", "", "203.0.113.5"},
		{"203.0.113.5:1234", "198.51.100.1", "203.0.113.5"},          // not a proxy: header ignored
		{"10.1.1.1:1234", "198.51.100.1", "198.51.100.1"},            // trusted proxy
		{"10.1.1.1:1234", "6.6.6.6, 198.51.100.1", "198.51.100.1"},   // the client's own claim is left of it
		{"10.1.1.1:1234", "198.51.100.1, 192.0.2.7", "198.51.100.1"}, // two proxies deep
		{"10.1.1.1:1234", "garbage, 10.2.2.2", "10.2.2.2"},           // nothing believable beyond the proxies
		{"[::ffff:203.0.113.5]:1234", "", "203.0.113.5"},             // mapped IPv4
		{"[2001:db8::1]:1234", "", "2001:db8::1"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.remote
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		if got := clientIP(proxies, r); got != netip.MustParseAddr(c.want) {
			t.Errorf("remote %s, XFF %q: %s, want %s", c.remote, c.xff, got, c.want)
		}
	}
	if got := limiterKey(netip.MustParseAddr("2001:db8:1:2:3:4:5:6")); got != "2001:db8:1:2::/64" {
		t.Errorf("IPv6 key %s, want its /64", got)
	}
	if _, err := ParseProxies("10.0.0.0/8, nope"); !errors.Is(err, ErrBadConfig) {
		t.Errorf("bad proxy: %v", err)
	}
	if p, err := ParseProxies(""); err != nil || len(p) != 0 {
		t.Errorf("empty list: %v, %v", p, err)
	}
}
