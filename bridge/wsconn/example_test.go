package wsconn_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge/wsconn"
)

// shout is a tiny protocol: it counts text messages, refuses binary ones
// and ends the stream on "bye".
type shout struct{ count int }

func (h *shout) Open(context.Context, *wsconn.Session) error { return nil }

func (h *shout) Message(_ context.Context, binary bool, data []byte) error {
	switch {
	case binary:
		return &wsconn.CloseError{Code: websocket.CloseUnsupportedData, Reason: "text only"}
	case string(data) == "bye":
		return wsconn.ErrDone
	}
	h.count++
	return nil
}

func (h *shout) Finish(end wsconn.Ending) {
	fmt.Printf("server: %d messages, then %d %q\n", h.count, end.Code, end.Reason)
}

// A protocol is a Handler; the Server does the rest.
func ExampleServer() {
	srv, err := wsconn.NewServer(wsconn.Config{NormalReason: "goodbye", Logger: slog.New(slog.DiscardHandler)}, nil)
	if err != nil {
		panic(err)
	}
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		srv.Serve(w, r, &shout{}) //nolint:contextcheck // sessions live by the server
	}))
	defer hs.Close()

	conn, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(hs.URL, "http"), nil)
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	defer conn.Close()
	for _, m := range []string{"hello", "there", "bye"} {
		_ = conn.WriteMessage(websocket.TextMessage, []byte(m))
	}
	_, _, err = conn.ReadMessage()
	var ce *websocket.CloseError
	if errors.As(err, &ce) {
		fmt.Printf("client: closed %d %q\n", ce.Code, ce.Text)
	}
	// Output:
	// server: 2 messages, then 1000 "goodbye"
	// client: closed 1000 "goodbye"
}
