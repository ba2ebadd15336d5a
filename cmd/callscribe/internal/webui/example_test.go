package webui_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/callscribe/callscribe/cmd/callscribe/internal/webui"
)

// The page beside an API on one mux: on a server with keys, it asks for
// one.
func ExampleHandler_Mount() {
	page, err := webui.New(webui.Config{Keys: true})
	if err != nil {
		panic(err)
	}
	mux := http.NewServeMux()
	page.Mount(mux)
	mux.HandleFunc("GET /v1/calls", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, `{"calls":[]}`) })

	for _, path := range []string{"/", "/ui/app.js", "/favicon.ico", "/v1/calls", "/elsewhere"} {
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		fmt.Println(path, w.Code, w.Header().Get("Content-Type"))
	}
	// Output:
	// / 200 text/html; charset=utf-8
	// /ui/app.js 200 text/javascript; charset=utf-8
	// /favicon.ico 200 image/x-icon
	// /v1/calls 200 text/plain; charset=utf-8
	// /elsewhere 404 text/plain; charset=utf-8
}
