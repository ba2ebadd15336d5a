package webui

import (
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"
)

// serve mounts a Handler made of cfg on a mux, as the service does.
func serve(t *testing.T, cfg Config) *httptest.Server {
	t.Helper()
	h, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	h.Mount(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// answer is what a request got, read and closed.
type answer struct {
	StatusCode int
	Header     http.Header
}

func get(t *testing.T, method, url string, header http.Header) (answer, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return answer{resp.StatusCode, resp.Header}, string(body)
}

// TestPage: / is the page, with the security headers, and tells the page
// whether to ask for a key and for how long a token.
func TestPage(t *testing.T) {
	for _, c := range []struct {
		cfg       Config
		auth, ttl string
	}{
		{Config{}, "open", "3600"},
		{Config{Keys: true, TokenTTL: 10 * time.Minute}, "keys", "600"},
	} {
		srv := serve(t, c.cfg)
		resp, body := get(t, http.MethodGet, srv.URL+"/", nil)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/html; charset=utf-8" {
			t.Fatalf("GET /: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		for k, want := range map[string]string{
			"Content-Security-Policy": ContentSecurityPolicy,
			"X-Content-Type-Options":  "nosniff",
			"Referrer-Policy":         "no-referrer",
			"X-Frame-Options":         "DENY",
			"Cache-Control":           "no-cache",
		} {
			if got := resp.Header.Get(k); got != want {
				t.Errorf("%s: %q, want %q", k, got, want)
			}
		}
		for _, want := range []string{
			`<meta name="callscribe-auth" content="` + c.auth + `">`,
			`<meta name="callscribe-token-ttl" content="` + c.ttl + `">`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("%+v: the page lacks %s", c.cfg, want)
			}
		}
	}
}

// TestPolicyKeepsToTheOrigin: the CSP allows nothing from elsewhere and
// nothing inline.
func TestPolicyKeepsToTheOrigin(t *testing.T) {
	for _, want := range []string{"default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'",
		"frame-ancestors 'none'", "base-uri 'none'"} {
		if !strings.Contains(ContentSecurityPolicy, want) {
			t.Errorf("the policy lacks %q", want)
		}
	}
	if strings.Contains(ContentSecurityPolicy, "unsafe") || strings.Contains(ContentSecurityPolicy, "*") {
		t.Errorf("the policy allows too much: %s", ContentSecurityPolicy)
	}
}

var (
	assetRef  = regexp.MustCompile(`(?:src|href)="(/[^"]*)"`)
	importRef = regexp.MustCompile(`(?m)^import .* from "\./([^"]+)";`)
)

// TestEveryReferenceIsServed: what the page and its modules load is
// served, with its type, so the browser's console has no failed load.
func TestEveryReferenceIsServed(t *testing.T) {
	srv := serve(t, Config{})
	_, page := get(t, http.MethodGet, srv.URL+"/", nil)
	refs := []string{"/favicon.ico"}
	for _, m := range assetRef.FindAllStringSubmatch(page, -1) {
		refs = append(refs, m[1])
	}
	scripts, err := fs.Glob(static, "static/*.js")
	if err != nil || len(scripts) == 0 {
		t.Fatal(scripts, err)
	}
	for _, s := range scripts {
		data, _ := static.ReadFile(s)
		for _, m := range importRef.FindAllStringSubmatch(string(data), -1) {
			refs = append(refs, AssetPrefix+m[1])
		}
	}
	types := map[string]string{".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
		".svg": "image/svg+xml", ".ico": "image/x-icon"}
	for _, ref := range refs {
		resp, body := get(t, http.MethodGet, srv.URL+ref, nil)
		ext := ref[strings.LastIndex(ref, "."):]
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != types[ext] || body == "" {
			t.Errorf("%s: %d %q, %d bytes", ref, resp.StatusCode, resp.Header.Get("Content-Type"), len(body))
		}
		if resp.Header.Get("Content-Security-Policy") == "" || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no security headers", ref)
		}
	}
	if _, ico := get(t, http.MethodGet, srv.URL+"/favicon.ico", nil); !strings.HasPrefix(ico, "\x00\x00\x01\x00") {
		t.Errorf("/favicon.ico is not an icon file: % x", ico[:min(8, len(ico))])
	}
}

// TestOtherPaths: the page answers only its own paths and methods.
func TestOtherPaths(t *testing.T) {
	srv := serve(t, Config{})
	for _, c := range []struct {
		method, path string
		status       int
	}{
		{"GET", "/ui/nosuch.js", 404},
		{"GET", "/ui/", 404},
		{"GET", "/ui/index.html", 404}, // the page is at / only
		{"GET", "/index.html", 404},
		{"GET", "/v1/calls", 404}, // the API is not the page's
		{"POST", "/", 405},
		{"DELETE", "/ui/app.js", 405},
	} {
		if resp, _ := get(t, c.method, srv.URL+c.path, nil); resp.StatusCode != c.status {
			t.Errorf("%s %s: %d, want %d", c.method, c.path, resp.StatusCode, c.status)
		}
	}
	h, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodPut, "/", nil))
	if w.Code != 405 || w.Header().Get("Allow") != "GET, HEAD" {
		t.Errorf("PUT / on the handler itself: %d, Allow %q", w.Code, w.Header().Get("Allow"))
	}
}

// TestRevalidation: a file the browser has is answered 304 while it is
// unchanged; HEAD has the headers and no body.
func TestRevalidation(t *testing.T) {
	srv := serve(t, Config{})
	for _, path := range []string{"/", "/ui/app.js"} {
		resp, _ := get(t, http.MethodGet, srv.URL+path, nil)
		etag := resp.Header.Get("ETag")
		if etag == "" {
			t.Fatalf("%s: no ETag", path)
		}
		if again, body := get(t, http.MethodGet, srv.URL+path, http.Header{"If-None-Match": {etag}}); again.StatusCode != 304 || body != "" {
			t.Errorf("%s with If-None-Match: %d, %d bytes", path, again.StatusCode, len(body))
		}
		if head, body := get(t, http.MethodHead, srv.URL+path, nil); head.StatusCode != 200 || body != "" || head.Header.Get("ETag") != etag {
			t.Errorf("HEAD %s: %d, %d bytes, ETag %q", path, head.StatusCode, len(body), head.Header.Get("ETag"))
		}
	}
}

// TestNothingInline: the CSP forbids inline scripts, inline styles and
// event-handler attributes, which the browser would refuse with a console
// error; the page has none.
func TestNothingInline(t *testing.T) {
	page, err := static.ReadFile("static/index.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []*regexp.Regexp{
		regexp.MustCompile(`<script(?:\s+[^>]*)?>`), // checked for src below
		regexp.MustCompile(`<style`),
		regexp.MustCompile(`\sstyle=`),
		regexp.MustCompile(`\son[a-z]+=`),
		regexp.MustCompile(`javascript:`),
	} {
		for _, m := range bad.FindAllString(string(page), -1) {
			if strings.HasPrefix(m, "<script") && strings.Contains(m, ` src="/`) {
				continue
			}
			t.Errorf("index.html has %q", m)
		}
	}
}

// TestScriptsWriteTextOnly: transcript text and every server answer reach
// the page through textContent. The scripts use none of the ways that
// parse a string as markup or code.
func TestScriptsWriteTextOnly(t *testing.T) {
	scripts, err := fs.Glob(static, "static/*.js")
	if err != nil {
		t.Fatal(err)
	}
	sinks := regexp.MustCompile(`innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|setAttribute\("on|\.srcdoc|createContextualFragment|setTimeout\("|setInterval\("`)
	for _, s := range scripts {
		data, _ := static.ReadFile(s)
		for _, m := range sinks.FindAllString(string(data), -1) {
			t.Errorf("%s uses %s", s, m)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	if err := (Config{}).Validate(); err != nil {
		t.Errorf("the zero Config: %v", err)
	}
	for _, ttl := range []time.Duration{time.Minute, 25 * time.Hour, -time.Hour} {
		if err := (Config{TokenTTL: ttl}).Validate(); !errors.Is(err, ErrBadConfig) {
			t.Errorf("TokenTTL %v: %v", ttl, err)
		}
		if _, err := New(Config{TokenTTL: ttl}); !errors.Is(err, ErrBadConfig) {
			t.Errorf("New with TokenTTL %v: %v", ttl, err)
		}
	}
}
