package auth

import (
	"net"
	"net/http"
	"strings"
)

// signedURL reconstructs the URL Twilio called to reach r.
func (v *TwilioValidator) signedURL(r *http.Request) string {
	path := r.URL.EscapedPath()
	var origin string
	if v.base == "" {
		scheme := "ws"
		if r.TLS != nil || (trusts(v.proxies, r) && isHTTPS(r.Header.Get("X-Forwarded-Proto"))) {
			scheme = "wss"
		}
		origin = scheme + "://" + r.Host
	} else {
		var prefix string
		origin, prefix = splitBase(v.base)
		// A proxy that strips the prefix gets it put back; one that passes
		// the full path through is served as well.
		if prefix != "" && path != prefix && !strings.HasPrefix(path, prefix+"/") {
			path = prefix + path
		}
	}
	s := origin + path
	if r.URL.RawQuery != "" {
		s += "?" + r.URL.RawQuery
	}
	return s
}

// splitBase splits "wss://host:port/prefix" into "wss://host:port" and
// "/prefix".
func splitBase(base string) (origin, prefix string) {
	i := strings.Index(base, "://") + 3
	if j := strings.IndexByte(base[i:], '/'); j >= 0 {
		return base[:i+j], base[i+j:]
	}
	return base, ""
}

// isHTTPS reads the first X-Forwarded-Proto value (the client's side).
func isHTTPS(proto string) bool {
	p, _, _ := strings.Cut(proto, ",")
	p = strings.ToLower(strings.TrimSpace(p))
	return p == "https" || p == "wss"
}

// urlVariants returns u as is, then with its port removed or, without one,
// with the scheme's default port added.
func urlVariants(u string) []string {
	origin, rest := splitBase(u)
	i := strings.Index(origin, "://")
	scheme, authority := origin[:i], origin[i+3:]
	out := []string{u}
	if host, _, err := net.SplitHostPort(authority); err == nil {
		if strings.Contains(host, ":") {
			host = "[" + host + "]"
		}
		return append(out, scheme+"://"+host+rest)
	}
	port := "80"
	if scheme == "wss" || scheme == "https" {
		port = "443"
	}
	host := strings.TrimSuffix(strings.TrimPrefix(authority, "["), "]")
	return append(out, scheme+"://"+net.JoinHostPort(host, port)+rest)
}
