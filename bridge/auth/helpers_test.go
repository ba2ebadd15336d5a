package auth

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge/clock/clocktest"
)

// rig is an Authenticator on a memory store with a manual clock, serving
// test routes over loopback.
type rig struct {
	a     *Authenticator
	store *MemoryStore
	clock *clocktest.Manual
	srv   *httptest.Server
}

// newRig starts the rig; wrap, if given, puts a store around the memory
// store the rig's keys go to.
func newRig(t *testing.T, cfg Config, wrap ...func(*MemoryStore) KeyStore) *rig {
	t.Helper()
	rg := &rig{store: NewMemoryStore(), clock: clocktest.NewManual()}
	cfg.Clock = rg.clock
	cfg.Logger = slog.New(slog.DiscardHandler)
	var store KeyStore = rg.store
	for _, w := range wrap {
		store = w(rg.store)
	}
	a, err := New(cfg, store)
	if err != nil {
		t.Fatal(err)
	}
	rg.a = a
	mux := http.NewServeMux()
	mux.Handle("GET /v1/calls", a.Require(ScopeRead, http.HandlerFunc(echoPrincipal)))
	mux.Handle("GET /v1/listen", a.Require(ScopeStream, http.HandlerFunc(wsEcho)))
	mux.Handle("GET /v1/twilio", a.RequireTwilio(http.HandlerFunc(wsEcho)))
	mux.Handle("GET /v1/twilio-deferred", a.AllowTwilio(http.HandlerFunc(wsEcho)))
	a.Mount(mux)
	rg.srv = httptest.NewServer(mux)
	t.Cleanup(rg.srv.Close)
	return rg
}

// key makes and stores a key with the given scopes.
func (rg *rig) key(t *testing.T, scopes ...Scope) (string, Key) {
	t.Helper()
	s, k, err := CreateKey(context.Background(), rg.store, "test", NewScopes(scopes...), rg.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return s, k
}

// echoPrincipal answers the principal and the query the handler saw.
func echoPrincipal(w http.ResponseWriter, r *http.Request) {
	p, ok := FromContext(r.Context())
	writeJSON(w, http.StatusOK, map[string]any{"principal": p, "ok": ok, "query": r.URL.RawQuery})
}

var upgrader = websocket.Upgrader{}

// wsEcho upgrades and sends the principal's name and via.
func wsEcho(w http.ResponseWriter, r *http.Request) {
	c, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer c.Close()
	p, _ := FromContext(r.Context())
	_ = c.WriteMessage(websocket.TextMessage, []byte(string(p.Via)+":"+p.Name))
}

// reply is a decoded JSON answer.
type reply struct {
	code   int
	header http.Header
	body   map[string]any
}

func (r reply) str(field string) string { s, _ := r.body[field].(string); return s }

// do sends a request with an optional Authorization header and JSON body.
func (rg *rig) do(t *testing.T, method, path, authorization, body string) reply {
	t.Helper()
	req, err := http.NewRequest(method, rg.srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	out := reply{code: res.StatusCode, header: res.Header}
	if len(b) > 0 {
		if err := json.Unmarshal(b, &out.body); err != nil {
			t.Fatalf("%s %s: body %q is not JSON: %v", method, path, b, err)
		}
	}
	return out
}

// dial opens a WebSocket to path with header; it returns the first
// message, or the refusal's status and body.
func (rg *rig) dial(t *testing.T, path string, header http.Header) (msg string, status int, body string) {
	t.Helper()
	url := "ws" + strings.TrimPrefix(rg.srv.URL, "http") + path
	d := websocket.Dialer{HandshakeTimeout: 5 * time.Second}
	c, res, err := d.Dial(url, header)
	if err != nil {
		if res == nil {
			t.Fatalf("dial %s: %v", path, err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		return "", res.StatusCode, string(b)
	}
	defer c.Close()
	_, m, err := c.ReadMessage()
	if err != nil {
		t.Fatal(err)
	}
	return string(m), res.StatusCode, ""
}
