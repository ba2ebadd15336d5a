package deepgram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"syscall"
	"time"
)

// fetch reads a JSON body {"url": ...} and returns what the URL serves,
// when the server fetches URLs at all (Config.FetchURLs) and the URL is
// http or https; the default client dials public addresses only.
func (s *Server) fetch(ctx context.Context, body io.Reader) ([]byte, error) {
	var req struct {
		URL string `json:"url"`
	}
	if err := json.NewDecoder(body).Decode(&req); err != nil || req.URL == "" {
		return nil, fmt.Errorf("%w: a JSON body must be {\"url\": \"...\"}", ErrBadParams)
	}
	if !s.cfg.FetchURLs {
		return nil, fmt.Errorf("%w: this server does not fetch audio from URLs; send the audio as the request body", ErrURLRefused)
	}
	u, err := url.Parse(req.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%w: %q is no http(s) URL", ErrURLRefused, req.URL)
	}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrURLRefused, err)
	}
	resp, err := s.cfg.FetchClient.Do(hreq)
	if err != nil {
		return nil, fmt.Errorf("%w: fetching %s: %w", ErrURLRefused, u.Redacted(), err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%w: %s answered %s", ErrURLRefused, u.Redacted(), resp.Status)
	}
	return readLimited(resp.Body, s.cfg.MaxFileBytes)
}

// errPrivateAddress refuses a dial to an address that is not public.
var errPrivateAddress = errors.New("not a public address")

// publicClient returns a client that connects to public unicast addresses
// only (no loopback, private, link-local or unspecified ones), checked on
// the address actually dialled, so that neither a name resolving to an
// inside address nor a redirect reaches the network behind the server.
func publicClient(timeout time.Duration) *http.Client {
	dialer := &net.Dialer{Timeout: 10 * time.Second, Control: func(_, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return err
		}
		if ip := ap.Addr().Unmap(); !ip.IsGlobalUnicast() || ip.IsPrivate() {
			return fmt.Errorf("%w: %s", errPrivateAddress, ip)
		}
		return nil
	}}
	tr := &http.Transport{DialContext: dialer.DialContext, Proxy: nil, TLSHandshakeTimeout: 10 * time.Second}
	return &http.Client{Timeout: timeout, Transport: tr, CheckRedirect: func(_ *http.Request, via []*http.Request) error {
		if len(via) >= 3 {
			return errors.New("too many redirects")
		}
		return nil
	}}
}
