package auth

import (
	"encoding/json"
	"errors"
	"net/http/httptest"
	"net/netip"
	"os"
	"testing"
)

// twilioVectors are signatures computed by testdata/twilio_vectors.py with
// Python's hmac, not by the code under test.
type twilioVectors struct {
	Primary, Secondary string
	Vectors            []struct{ Name, Token, URL, Signature string }
}

func loadVectors(t *testing.T) (twilioVectors, map[string]string) {
	t.Helper()
	b, err := os.ReadFile("testdata/twilio_vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v twilioVectors
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	sigs := map[string]string{}
	for _, x := range v.Vectors {
		sigs[x.Name] = x.Signature
	}
	return v, sigs
}

func TestTwilioValidatorVectors(t *testing.T) {
	v, sig := loadVectors(t)
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	for _, c := range []struct {
		name      string
		vector    string
		publicURL string
		secondary bool // configure the secondary token as well
		target    string
		remote    string
		header    map[string]string
		ok        bool
	}{
		{name: "public URL", vector: "plain", publicURL: "https://callscribe.example.com", target: "http://internal:8080/v1/twilio", ok: true},
		{name: "public URL given as wss", vector: "plain", publicURL: "wss://callscribe.example.com/", target: "/v1/twilio", ok: true},
		{name: "derived, TLS", vector: "plain", target: "https://callscribe.example.com/v1/twilio", ok: true},
		{name: "derived, trusted proxy says https", vector: "plain", target: "http://callscribe.example.com/v1/twilio",
			remote: "10.1.2.3:5555", header: map[string]string{"X-Forwarded-Proto": "https"}, ok: true},
		{name: "derived, untrusted proxy says https", vector: "plain", target: "http://callscribe.example.com/v1/twilio",
			remote: "192.0.2.9:5555", header: map[string]string{"X-Forwarded-Proto": "https"}},
		{name: "derived, plain ws", vector: "ws-scheme", target: "http://callscribe.example.com/v1/twilio", ok: true},
		{name: "signed with :443, configured without", vector: "with-port", publicURL: "https://callscribe.example.com", target: "/v1/twilio", ok: true},
		{name: "signed without port, configured with :443", vector: "plain", publicURL: "https://callscribe.example.com:443", target: "/v1/twilio", ok: true},
		{name: "signed without port, Host has :443", vector: "plain", target: "https://callscribe.example.com:443/v1/twilio", ok: true},
		{name: "other port", vector: "odd-port", publicURL: "https://callscribe.example.com:8443", target: "/v1/twilio", ok: true},
		{name: "other port is not the default", vector: "odd-port", publicURL: "https://callscribe.example.com", target: "/v1/twilio"},
		{name: "prefix stripped by the proxy", vector: "prefix", publicURL: "https://example.org/callscribe/", target: "/v1/twilio", ok: true},
		{name: "prefix passed through", vector: "prefix", publicURL: "https://example.org/callscribe", target: "/callscribe/v1/twilio", ok: true},
		{name: "secondary token in rotation", vector: "secondary", secondary: true, publicURL: "https://callscribe.example.com", target: "/v1/twilio", ok: true},
		{name: "secondary token not configured", vector: "secondary", publicURL: "https://callscribe.example.com", target: "/v1/twilio"},
		{name: "signed for ws, expected wss", vector: "ws-scheme", publicURL: "https://callscribe.example.com", target: "/v1/twilio"},
		{name: "signed for https, expected wss", vector: "https-scheme", publicURL: "https://callscribe.example.com", target: "/v1/twilio"},
		{name: "query", vector: "query", publicURL: "https://callscribe.example.com", target: "/v1/twilio?a=1&b=two", ok: true},
		{name: "query changed", vector: "query", publicURL: "https://callscribe.example.com", target: "/v1/twilio?a=2&b=two"},
		{name: "other path", vector: "plain", publicURL: "https://callscribe.example.com", target: "/v1/listen"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := TwilioConfig{AuthTokens: []string{v.Primary}, PublicURL: c.publicURL, TrustedProxies: proxies}
			if c.secondary {
				cfg.AuthTokens = append(cfg.AuthTokens, v.Secondary)
			}
			tv, err := NewTwilioValidator(cfg)
			if err != nil {
				t.Fatal(err)
			}
			r := httptest.NewRequest("GET", c.target, nil)
			if c.remote != "" {
				r.RemoteAddr = c.remote
			}
			for k, val := range c.header {
				r.Header.Set(k, val)
			}
			r.Header.Set("X-Twilio-Signature", sig[c.vector])
			err = tv.Validate(r)
			if c.ok && err != nil {
				t.Errorf("refused: %v (reconstructed %s)", err, tv.signedURL(r))
			}
			if !c.ok && !errors.Is(err, ErrBadSignature) {
				t.Errorf("Validate = %v, want ErrBadSignature (reconstructed %s)", err, tv.signedURL(r))
			}
		})
	}
}

func TestTwilioValidatorHeader(t *testing.T) {
	tv, err := NewTwilioValidator(TwilioConfig{AuthTokens: []string{"t"}})
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("GET", "/v1/twilio", nil)
	if err := tv.Validate(r); !errors.Is(err, ErrNoSignature) {
		t.Errorf("no header: %v", err)
	}
	for _, h := range []string{"not base64!", "c2hvcnQ=", "oAWxv5GhQBIN91y5kMC2TG0L8O4"} {
		r.Header.Set("X-Twilio-Signature", h)
		if err := tv.Validate(r); !errors.Is(err, ErrBadSignature) {
			t.Errorf("header %q: %v, want ErrBadSignature", h, err)
		}
	}
}

func TestTwilioConfig(t *testing.T) {
	for _, bad := range []TwilioConfig{
		{AuthTokens: []string{""}},
		{PublicURL: "ftp://host"},
		{PublicURL: "https://"},
		{PublicURL: "https://host/v1?x=1"},
		{PublicURL: "https://user:pw@host"},
		{PublicURL: "host.example.com"},
	} {
		if err := bad.Validate(); !errors.Is(err, ErrBadConfig) {
			t.Errorf("%+v: %v, want ErrBadConfig", bad, err)
		}
	}
	if _, err := NewTwilioValidator(TwilioConfig{}); !errors.Is(err, ErrBadConfig) {
		t.Errorf("no tokens: %v", err)
	}
	for in, want := range map[string]string{
		"https://h":              "wss://h",
		"http://h:8080/":         "ws://h:8080",
		"wss://h/a/b/":           "wss://h/a/b",
		"HTTPS://[2001:db8::1]/": "wss://[2001:db8::1]",
	} {
		if got, err := publicBase(in); err != nil || got != want {
			t.Errorf("publicBase(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestURLVariants(t *testing.T) {
	for in, want := range map[string][2]string{
		"wss://h/v1/twilio":               {"wss://h/v1/twilio", "wss://h:443/v1/twilio"},
		"ws://h/v1/twilio":                {"ws://h/v1/twilio", "ws://h:80/v1/twilio"},
		"wss://h:443/v1/twilio?q=1":       {"wss://h:443/v1/twilio?q=1", "wss://h/v1/twilio?q=1"},
		"wss://[2001:db8::1]:8443/x":      {"wss://[2001:db8::1]:8443/x", "wss://[2001:db8::1]/x"},
		"wss://[2001:db8::1]/x":           {"wss://[2001:db8::1]/x", "wss://[2001:db8::1]:443/x"},
		"wss://callscribe.example.com:80": {"wss://callscribe.example.com:80", "wss://callscribe.example.com"},
	} {
		got := urlVariants(in)
		if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
			t.Errorf("urlVariants(%q) = %q, want %q", in, got, want)
		}
	}
}
