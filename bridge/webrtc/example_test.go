package webrtc_test

import (
	"log"
	"net/http"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/webrtc"
)

// Mounting the endpoint: the POST, the session URL's DELETE and PATCH, and
// the preflights, each behind CORS so that a browser page reads every
// answer, refusals included. cmd/callscribe puts its authentication
// between CORS and the handlers.
func ExampleServer() {
	var (
		calls bridge.Calls       // the call hub
		tx    bridge.Transcriber // the pipeline
	)
	srv, err := webrtc.NewServer(webrtc.Config{}, calls, tx, nil)
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("POST /v1/whip", srv.CORS(srv))
	mux.Handle("DELETE /v1/whip/{id}", srv.CORS(srv.Resource()))
	mux.Handle("PATCH /v1/whip/{id}", srv.CORS(srv.Resource()))
	mux.Handle("OPTIONS /v1/whip", srv.CORS(nil))
	mux.Handle("OPTIONS /v1/whip/{id}", srv.CORS(nil))
}
