package auth

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
)

// twilioSignatureHeader carries Twilio's signature of a request.
const twilioSignatureHeader = "X-Twilio-Signature"

// TwilioConfig configures a TwilioValidator.
type TwilioConfig struct {
	// AuthTokens are the Twilio account auth tokens a signature may be made
	// with: during a rotation, the primary and the secondary one.
	AuthTokens []string
	// PublicURL is the base URL Twilio calls, when a proxy stands between
	// it and this server: "https://host[:port][/prefix]" means a stream
	// URL of "wss://host[:port][/prefix]/v1/twilio". ws, wss and http are
	// accepted too. Empty derives the URL from the request (Host header,
	// and wss when the connection is TLS or a trusted proxy says
	// X-Forwarded-Proto: https).
	PublicURL string
	// TrustedProxies are believed about X-Forwarded-Proto. Through
	// Config, they default to Config.TrustedProxies.
	TrustedProxies []netip.Prefix
}

// Validate reports the problems of c wrapped in ErrBadConfig.
func (c TwilioConfig) Validate() error {
	if err := c.check(); err != nil {
		return fmt.Errorf("%w: %w", ErrBadConfig, err)
	}
	return nil
}

func (c TwilioConfig) check() error {
	var errs []error
	for i, t := range c.AuthTokens {
		if strings.TrimSpace(t) == "" {
			errs = append(errs, fmt.Errorf("twilio auth token %d is empty", i+1))
		}
	}
	if _, err := publicBase(c.PublicURL); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// publicBase turns a public URL into the base of signed URLs,
// "wss://host[:port][/prefix]"; "" stays "".
func publicBase(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", fmt.Errorf("public URL: %w", err)
	}
	scheme, ok := map[string]string{"https": "wss", "wss": "wss", "http": "ws", "ws": "ws"}[strings.ToLower(u.Scheme)]
	switch {
	case !ok:
		return "", fmt.Errorf("public URL %q: scheme must be https or wss (or http, ws)", s)
	case u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "":
		return "", fmt.Errorf("public URL %q: want scheme://host[:port][/prefix], nothing else", s)
	}
	return scheme + "://" + u.Host + strings.TrimRight(u.EscapedPath(), "/"), nil
}

// TwilioValidator checks X-Twilio-Signature on the WebSocket upgrade of a
// Media Stream. Twilio signs a request with HMAC-SHA1, keyed by the
// account's auth token, over the URL it called followed by its POST
// parameters sorted by name; an upgrade is a GET without parameters, so
// the signed string is the URL alone, "wss://host/v1/twilio" as written in
// the TwiML <Stream url>. The header is the base64 of the MAC.
//
// Twilio's helper libraries accept a signature made over the URL with or
// without its port (:443 added to, or any port taken from, the URL), since
// what reaches the server may differ from what was configured; so does
// Validate.
type TwilioValidator struct {
	tokens  [][]byte
	base    string
	proxies []netip.Prefix
}

// NewTwilioValidator returns a validator for cfg, which needs at least one
// auth token.
func NewTwilioValidator(cfg TwilioConfig) (*TwilioValidator, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if len(cfg.AuthTokens) == 0 {
		return nil, fmt.Errorf("%w: no Twilio auth token", ErrBadConfig)
	}
	base, _ := publicBase(cfg.PublicURL)
	v := &TwilioValidator{base: base, proxies: cfg.TrustedProxies}
	for _, t := range cfg.AuthTokens {
		v.tokens = append(v.tokens, []byte(strings.TrimSpace(t)))
	}
	return v, nil
}

// Validate returns nil if r carries an X-Twilio-Signature made with one of
// the auth tokens over the URL r was sent to; ErrNoSignature without the
// header, ErrBadSignature otherwise.
func (v *TwilioValidator) Validate(r *http.Request) error {
	h := r.Header.Get(twilioSignatureHeader)
	if h == "" {
		return ErrNoSignature
	}
	got, err := base64.StdEncoding.DecodeString(h)
	if err != nil || len(got) != sha1.Size {
		return fmt.Errorf("%w: malformed header", ErrBadSignature)
	}
	candidates := urlVariants(v.signedURL(r))
	for _, tok := range v.tokens {
		for _, u := range candidates {
			if hmac.Equal(got, twilioMAC(tok, u)) {
				return nil
			}
		}
	}
	return fmt.Errorf("%w: for %s", ErrBadSignature, candidates[0])
}

// twilioMAC is Twilio's signature of a request without POST parameters.
func twilioMAC(token []byte, u string) []byte {
	m := hmac.New(sha1.New, token)
	m.Write([]byte(u))
	return m.Sum(nil)
}
