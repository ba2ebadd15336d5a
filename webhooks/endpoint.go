package webhooks

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/webhooks/signature"
)

// Endpoint is a receiver of webhooks.
type Endpoint struct {
	ID  string `json:"id"`
	URL string `json:"url"`
	// Secrets sign every request, the first one being the current secret;
	// more than one during a rotation. Serialized as "whsec_" + base64.
	Secrets []string `json:"-"`
	// Events lists the webhook event names the endpoint receives; empty
	// means DefaultEvents, "*" means every event including partials.
	Events      []string  `json:"events"`
	Description string    `json:"description,omitempty"`
	Static      bool      `json:"static"`
	Disabled    bool      `json:"disabled"`
	Reason      string    `json:"disabled_reason,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
}

// AllEvents subscribes an endpoint to every event, partials included.
const AllEvents = "*"

// DefaultEvents are the events of an endpoint that names none: everything
// but transcript.partial, which is sent only to endpoints that ask for it.
var DefaultEvents = []string{
	event.WebhookCallStarted,
	event.WebhookTranscriptFinal,
	event.WebhookDTMF,
	event.WebhookCallEnded,
}

var knownEvents = append([]string{event.WebhookTranscriptPartial, AllEvents}, DefaultEvents...)

// Subscribes reports whether e receives events of the given webhook type.
func (e *Endpoint) Subscribes(webhookType string) bool {
	if len(e.Events) == 0 {
		return slices.Contains(DefaultEvents, webhookType)
	}
	return slices.Contains(e.Events, AllEvents) || slices.Contains(e.Events, webhookType)
}

var idPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// validate checks everything about e but where its URL points.
func (e *Endpoint) validate() error {
	if !idPattern.MatchString(e.ID) {
		return fmt.Errorf("%w: id %q must be 1 to 64 letters, digits, '_' or '-'", ErrInvalidEndpoint, e.ID)
	}
	if _, err := parseEndpointURL(e.URL); err != nil {
		return err
	}
	for _, name := range e.Events {
		if !slices.Contains(knownEvents, name) {
			return fmt.Errorf("%w: unknown event %q (known: %s)", ErrInvalidEndpoint, name, strings.Join(knownEvents, ", "))
		}
	}
	if len(e.Secrets) == 0 {
		return fmt.Errorf("%w: no secret", ErrInvalidEndpoint)
	}
	for i, s := range e.Secrets {
		if _, err := signature.ParseSecret(s); err != nil {
			return fmt.Errorf("%w: secret %d: %w", ErrInvalidEndpoint, i, err)
		}
	}
	return nil
}

func (e *Endpoint) secrets() ([]signature.Secret, error) {
	out := make([]signature.Secret, 0, len(e.Secrets))
	for _, s := range e.Secrets {
		k, err := signature.ParseSecret(s)
		if err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, nil
}

// parseEndpointURL accepts absolute http and https URLs with a host and
// without user information or fragment.
func parseEndpointURL(raw string) (*url.URL, error) {
	if len(raw) > 2048 {
		return nil, fmt.Errorf("%w: url longer than 2048 bytes", ErrInvalidEndpoint)
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return nil, fmt.Errorf("%w: url: %w", ErrInvalidEndpoint, err)
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("%w: url %q: scheme must be http or https", ErrInvalidEndpoint, raw)
	case u.Hostname() == "":
		return nil, fmt.Errorf("%w: url %q: no host", ErrInvalidEndpoint, raw)
	case u.User != nil:
		return nil, fmt.Errorf("%w: url %q: user information not allowed", ErrInvalidEndpoint, raw)
	case u.Fragment != "":
		return nil, fmt.Errorf("%w: url %q: fragment not allowed", ErrInvalidEndpoint, raw)
	}
	return u, nil
}

// pointsAtSelf reports whether u's host and port equal one of self, a list of
// host:port addresses of this service. Loopback hosts (localhost, 127.0.0.0/8,
// ::1) are one host, and a self entry with an empty or unspecified host
// (":8080", "0.0.0.0:8080", "[::]:8080"), as a listen address has, stands for
// all of them.
func pointsAtSelf(u *url.URL, self []string) bool {
	host, port := strings.ToLower(u.Hostname()), u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	for _, s := range self {
		sh, sp, err := net.SplitHostPort(s)
		if err != nil || sp != port {
			continue
		}
		sh = strings.ToLower(sh)
		if sh == host || (isLocal(sh) && isLocal(host)) {
			return true
		}
	}
	return false
}

// isLocal reports whether host names this machine without naming an
// interface: empty, unspecified, localhost or a loopback address.
func isLocal(host string) bool {
	if host == "" || host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && (ip.IsLoopback() || ip.IsUnspecified())
}
