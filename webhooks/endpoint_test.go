package webhooks

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

const testSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

func TestSubscribes(t *testing.T) {
	cases := []struct {
		events []string
		typ    string
		want   bool
	}{
		{nil, "call.started", true},
		{nil, "transcript.final", true},
		{nil, "dtmf", true},
		{nil, "call.ended", true},
		{nil, "transcript.partial", false},
		{nil, "something.else", false},
		{[]string{"transcript.partial"}, "transcript.partial", true},
		{[]string{"transcript.partial"}, "transcript.final", false},
		{[]string{"call.ended", "dtmf"}, "dtmf", true},
		{[]string{"call.ended", "dtmf"}, "call.started", false},
		{[]string{"*"}, "transcript.partial", true},
		{[]string{"*"}, "call.started", true},
	}
	for _, c := range cases {
		e := Endpoint{Events: c.events}
		if got := e.Subscribes(c.typ); got != c.want {
			t.Errorf("Events %v: Subscribes(%q) = %v, want %v", c.events, c.typ, got, c.want)
		}
	}
}

func TestEndpointValidate(t *testing.T) {
	ok := Endpoint{ID: "crm-1", URL: "https://crm.example:8443/hooks?x=1", Secrets: []string{testSecret}, Events: []string{"dtmf", "*"}}
	if err := ok.validate(); err != nil {
		t.Fatalf("valid endpoint: %v", err)
	}
	cases := map[string]func(e *Endpoint){
		"no id":          func(e *Endpoint) { e.ID = "" },
		"id with dot":    func(e *Endpoint) { e.ID = "a.b" },
		"relative url":   func(e *Endpoint) { e.URL = "/hooks" },
		"ftp url":        func(e *Endpoint) { e.URL = "ftp://crm.example/" },
		"no host":        func(e *Endpoint) { e.URL = "https:///path" },
		"bad port":       func(e *Endpoint) { e.URL = "http://crm.example:port/" },
		"control char":   func(e *Endpoint) { e.URL = "http://crm.example/\x7f" },
		"user info":      func(e *Endpoint) { e.URL = "https://user:pw@crm.example/" },
		"fragment":       func(e *Endpoint) { e.URL = "https://crm.example/#x" },
		"too long":       func(e *Endpoint) { e.URL = "https://crm.example/" + strings.Repeat("a", 2048) },
		"unknown event":  func(e *Endpoint) { e.Events = []string{"transcript"} },
		"no secret":      func(e *Endpoint) { e.Secrets = nil },
		"invalid secret": func(e *Endpoint) { e.Secrets = []string{"whsec_short"} },
	}
	for name, mutate := range cases {
		e := ok
		mutate(&e)
		if err := e.validate(); !errors.Is(err, ErrInvalidEndpoint) {
			t.Errorf("%s: validate = %v, want ErrInvalidEndpoint", name, err)
		}
	}
}

func TestPointsAtSelf(t *testing.T) {
	self := []string{":8080", "callscribe.internal:443", "10.0.0.5:9000"}
	cases := map[string]bool{
		"http://127.0.0.1:8080/hook":        true,
		"http://localhost:8080/":            true,
		"http://[::1]:8080/":                true,
		"http://127.0.0.2:8080/":            true,
		"http://0.0.0.0:8080/":              true,
		"http://127.0.0.1:8081/":            false,
		"https://callscribe.internal/":      true, // default port 443
		"https://CallScribe.Internal:443/x": true,
		"http://callscribe.internal/":       false, // port 80
		"http://10.0.0.5:9000/":             true,
		"http://10.0.0.6:9000/":             false,
		"https://crm.example/":              false,
		"http://crm.example:8080/":          false,
	}
	for raw, want := range cases {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		if got := pointsAtSelf(u, self); got != want {
			t.Errorf("pointsAtSelf(%s) = %v, want %v", raw, got, want)
		}
	}
	u, _ := url.Parse("http://localhost:9000/")
	if !pointsAtSelf(u, []string{"127.0.0.1:9000"}) {
		t.Error("localhost and 127.0.0.1 should be the same host")
	}
}
