package webui

import "net/http"

// ContentSecurityPolicy is the policy of every answer of the page. Scripts,
// styles, images and connections (fetch, EventSource) come from the page's
// own origin only; no inline script, no inline style attribute, no eval,
// no plugins, no framing, no form posting elsewhere. A transcript that
// smuggled markup into the page could therefore run nothing even if the
// page rendered it as HTML, which it never does (textContent only).
// WebRTC media is outside CSP's reach; the page sends it to the origin's
// WHIP endpoint only.
const ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// securityHeaders sets the headers that keep the page to itself: the CSP,
// no type sniffing, no referrer to elsewhere, no framing (for browsers
// without frame-ancestors), and the microphone for this origin only.
func securityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", ContentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Permissions-Policy", "microphone=(self), camera=(), geolocation=()")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
}
