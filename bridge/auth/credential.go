package auth

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// credential returns the key or token a request carries, and whether it
// came from the query string. The Authorization header wins over ?token=,
// which wins over a WebSocket subprotocol offer "token, KEY" or "bearer,
// TOKEN" (how browsers, which cannot set headers on a WebSocket, send
// Deepgram's credential).
// ErrNoCredential if there is none; ErrBadCredential for an Authorization
// header of another scheme (Basic, say), which would otherwise be ignored
// in silence.
func credential(r *http.Request) (string, bool, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, cred, _ := strings.Cut(strings.TrimSpace(h), " ")
		cred = strings.TrimSpace(cred)
		switch {
		case !strings.EqualFold(scheme, "Bearer") && !strings.EqualFold(scheme, "Token"):
			return "", false, fmt.Errorf("%w: Authorization scheme %q (want Bearer or Token)", ErrBadCredential, scheme)
		case cred == "":
			return "", false, fmt.Errorf("%w: empty Authorization %s", ErrBadCredential, scheme)
		}
		return cred, false, nil
	}
	if t := r.URL.Query().Get("token"); t != "" {
		return t, true, nil
	}
	if cred := subprotocolCredential(r); cred != "" {
		return cred, false, nil
	}
	return "", false, ErrNoCredential
}

// subprotocolCredential returns the credential of a Sec-WebSocket-Protocol
// offer whose first two values are "token" (or "bearer") and the
// credential, or "". The upgrade selects "token", never the credential.
func subprotocolCredential(r *http.Request) string {
	var offer []string
	for _, h := range r.Header.Values("Sec-WebSocket-Protocol") {
		for v := range strings.SplitSeq(h, ",") {
			offer = append(offer, strings.TrimSpace(v))
		}
	}
	if len(offer) < 2 || (!strings.EqualFold(offer[0], "token") && !strings.EqualFold(offer[0], "bearer")) {
		return ""
	}
	return offer[1]
}

// withoutQueryToken returns r without its ?token= parameter, so that the
// credential does not reach handler logs or echoes of the URL.
func withoutQueryToken(r *http.Request) *http.Request {
	q := r.URL.Query()
	q.Del("token")
	r2 := r.WithContext(r.Context()) // a shallow copy: only the URL changes
	u := *r.URL
	u.RawQuery = q.Encode()
	r2.URL = &u
	r2.RequestURI = u.RequestURI()
	return r2
}

// trusts reports whether the peer of r is one of the trusted proxies.
func trusts(proxies []netip.Prefix, r *http.Request) bool {
	return len(proxies) > 0 && inPrefixes(proxies, remoteIP(r))
}

func inPrefixes(proxies []netip.Prefix, ip netip.Addr) bool {
	if !ip.IsValid() {
		return false
	}
	for _, p := range proxies {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// remoteIP is the address of r's peer, unmapped (::ffff:a.b.c.d is
// a.b.c.d); invalid if RemoteAddr is not an address.
func remoteIP(r *http.Request) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	return ip.Unmap().WithZone("")
}

// clientIP is the address of the client behind r: the peer, or, when the
// peer is a trusted proxy, the rightmost X-Forwarded-For entry that is not
// itself a trusted proxy. Entries left of that one are the client's own
// claims and are never believed.
func clientIP(proxies []netip.Prefix, r *http.Request) netip.Addr {
	ip := remoteIP(r)
	if !inPrefixes(proxies, ip) {
		return ip
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break // a malformed hop ends what can be believed
		}
		hop = hop.Unmap().WithZone("")
		if !inPrefixes(proxies, hop) {
			return hop
		}
		ip = hop
	}
	return ip
}

// limiterKey is what the failure limiter counts: an IPv4 address, or the
// /64 of an IPv6 one, since one IPv6 host commonly holds a whole /64 and
// could otherwise take a fresh address for every guess.
func limiterKey(ip netip.Addr) string {
	if !ip.IsValid() {
		return "unknown"
	}
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.String()
}

// ParseProxies parses a comma-separated list of addresses and CIDR
// prefixes ("10.0.0.0/8, 127.0.0.1") for Config.TrustedProxies, as a flag
// would give it. An empty string is an empty list.
func ParseProxies(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for item := range strings.SplitSeq(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if p, err := netip.ParsePrefix(item); err == nil {
			out = append(out, p.Masked())
			continue
		}
		ip, err := netip.ParseAddr(item)
		if err != nil {
			return nil, fmt.Errorf("%w: trusted proxy %q is neither an address nor a CIDR prefix", ErrBadConfig, item)
		}
		ip = ip.Unmap()
		out = append(out, netip.PrefixFrom(ip, ip.BitLen()))
	}
	return out, nil
}
