package auth_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/callscribe/callscribe/bridge/auth"
)

// A service wraps each route with the scope it needs; a key made with
// CreateKey (or POST /v1/keys, or "callscribe keys create") opens it, and
// trades itself for a short-lived token a browser page can hold.
func Example() {
	ctx := context.Background()
	store := auth.NewMemoryStore() // sqlitestore.Open or pgstore.Open in the service
	a, err := auth.New(auth.Config{Logger: slog.New(slog.DiscardHandler)}, store)
	if err != nil {
		fmt.Println(err)
		return
	}
	mux := http.NewServeMux()
	mux.Handle("GET /v1/calls", a.Require(auth.ScopeRead, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, _ := auth.FromContext(r.Context())
		fmt.Fprintf(w, "calls for %s via %s", p.Name, p.Via)
	})))
	a.Mount(mux) // /v1/keys (admin) and /v1/tokens
	srv := httptest.NewServer(mux)
	defer srv.Close()

	key, _, err := auth.CreateKey(ctx, store, "dashboard", auth.NewScopes(auth.ScopeRead), time.Now())
	if err != nil {
		fmt.Println(err)
		return
	}
	get := func(url, authorization string) {
		req, _ := http.NewRequest("GET", url, nil)
		if authorization != "" {
			req.Header.Set("Authorization", authorization)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			fmt.Println(err)
			return
		}
		res.Body.Close()
		fmt.Println(res.Status)
	}
	get(srv.URL+"/v1/calls", "")
	get(srv.URL+"/v1/calls", "Bearer "+key)

	p, _ := a.Verify(ctx, key, auth.ScopeRead)
	token, _, _ := a.IssueToken(ctx, p, auth.NewScopes(auth.ScopeRead), 2*time.Minute)
	get(srv.URL+"/v1/calls?token="+token, "")
	// Output:
	// 401 Unauthorized
	// 200 OK
	// 200 OK
}
