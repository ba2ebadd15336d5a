// Package webui is the browser page `callscribe serve` answers at "/": Talk
// (the microphone over WHIP, live words as they are decoded) and Calls
// (the calls the server keeps, one call's events live over Server-Sent
// Events, its transcript as text, SRT or WebVTT). The page is plain HTML,
// CSS and JavaScript modules embedded in the binary: no build step, no
// framework, nothing fetched from elsewhere.
//
// The page holds no data of its own: it calls the same API as any client
// (POST /v1/whip, GET /v1/calls, /v1/calls/{id}/events and /transcript),
// so this package needs no other part of callscribe. On a server with
// keys (Config.Keys) the page asks once for a key and trades it at
// POST /v1/tokens for a short-lived token; the key itself is not kept.
//
// Every answer carries a Content-Security-Policy that allows scripts,
// styles and connections from the page's own origin only, and no inline
// script or style: transcript text reaches the page as data and is never
// parsed as markup.
package webui

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/callscribe/callscribe/bridge/config"
)

//go:embed static
var static embed.FS

// AssetPrefix is the path the page's scripts, styles and icons are served
// under.
const AssetPrefix = "/ui/"

// Config says what the page must know of the server it is served by.
type Config struct {
	// Keys says the API needs a credential (a server with API keys): the
	// page asks for a key and trades it for a token. False on the loopback
	// demo, where the page needs nothing.
	Keys bool
	// TokenTTL is the lifetime of the tokens the page asks for. Default
	// 1 h, the token endpoint's default maximum; a server that allows less
	// refuses it, and the page then takes that server's default lifetime.
	// At least 2 min: the page trades again a minute before expiry.
	TokenTTL time.Duration
}

// WithDefaults returns c with every zero field set to its default.
func (c Config) WithDefaults() Config {
	config.Default(&c.TokenTTL, time.Hour)
	return c
}

// Validate reports every problem of c after defaults are applied, wrapped
// in ErrBadConfig.
func (c Config) Validate() error {
	c = c.WithDefaults()
	var p config.Problems
	if c.TokenTTL < 2*time.Minute || c.TokenTTL > 24*time.Hour {
		p.Addf("TokenTTL must be between 2m and 24h, is %v", c.TokenTTL)
	}
	return p.Err(ErrBadConfig)
}

// Handler serves the page at "/", its assets under AssetPrefix and the
// icon at /favicon.ico. Mount registers it on a mux.
type Handler struct {
	index  asset
	assets map[string]asset // by URL path
}

// asset is one file as it is served.
type asset struct {
	body        []byte
	contentType string
	etag        string
}

// contentTypes are the types of the embedded files, set here rather than
// taken from the system's MIME table, which differs between machines (and
// a script served with the wrong type does not run under nosniff).
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".svg":  "image/svg+xml",
	".ico":  "image/x-icon",
	".png":  "image/png",
}

// New checks cfg and prepares every file of the page.
func New(cfg Config) (*Handler, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.WithDefaults()
	h := &Handler{assets: map[string]asset{}}
	err := fs.WalkDir(static, "static", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := static.ReadFile(name)
		if err != nil {
			return err
		}
		base := strings.TrimPrefix(name, "static/")
		if base == "index.html" {
			if body, err = renderIndex(body, cfg); err != nil {
				return err
			}
			h.index, err = newAsset(base, body)
			return err
		}
		a, err := newAsset(base, body)
		if err != nil {
			return err
		}
		h.assets[AssetPrefix+base] = a
		if base == "favicon.ico" {
			h.assets["/favicon.ico"] = a
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("webui: preparing the page: %w", err)
	}
	return h, nil
}

func newAsset(name string, body []byte) (asset, error) {
	ct, ok := contentTypes[path.Ext(name)]
	if !ok {
		return asset{}, fmt.Errorf("%s: no content type for its extension", name)
	}
	sum := sha256.Sum256(body)
	return asset{body: body, contentType: ct, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}, nil
}

// renderIndex fills in what the page must know before its first request:
// whether to ask for a key, and the token lifetime to ask for.
func renderIndex(body []byte, cfg Config) ([]byte, error) {
	t, err := template.New("index.html").Parse(string(body))
	if err != nil {
		return nil, err
	}
	auth := "open"
	if cfg.Keys {
		auth = "keys"
	}
	var out bytes.Buffer
	err = t.Execute(&out, struct {
		Auth     string
		TokenTTL int
	}{auth, int(cfg.TokenTTL / time.Second)})
	return out.Bytes(), err
}

// Mount registers the page on mux: GET / (exactly), the assets and the
// icon. Nothing here needs a credential; the API the page calls does.
func (h *Handler) Mount(mux *http.ServeMux) {
	mux.Handle("GET /{$}", h)
	mux.Handle("GET "+AssetPrefix, h)
	mux.Handle("GET /favicon.ico", h)
}

// ServeHTTP answers GET and HEAD for the page and its files, 404 for a
// path it does not have.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	a, ok := h.assets[r.URL.Path]
	if r.URL.Path == "/" {
		a, ok = h.index, true
	}
	if !ok {
		http.NotFound(w, r)
		return
	}
	securityHeaders(w.Header())
	hdr := w.Header()
	hdr.Set("Content-Type", a.contentType)
	hdr.Set("ETag", a.etag)
	// Revalidated on every load (a 304 on an unchanged file), so that a
	// new binary's page never runs with an old script from the cache.
	hdr.Set("Cache-Control", "no-cache")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(a.body))
}
