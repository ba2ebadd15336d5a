package call

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gorilla/websocket"
)

// Mount registers the hub's HTTP endpoints on mux:
//
//	GET /v1/calls                    ListHandler
//	GET /v1/calls/{call_id}/events   EventsHandler
//
// Authentication is the server's business: wrap mux as it needs.
func (h *Hub) Mount(mux *http.ServeMux) {
	mux.Handle("GET /v1/calls", h.ListHandler())
	mux.Handle("GET /v1/calls/{call_id}/events", h.EventsHandler())
}

// EventsHandler streams the events of one call, replay first, then live,
// until call.ended: as a WebSocket (one JSON text message per event) or,
// when the request accepts text/event-stream, as Server-Sent Events. It
// must be mounted on a pattern with a {call_id} wildcard.
//
// Query parameters: partials=false leaves partial transcripts out;
// from_seq=N starts at seq N. For Server-Sent Events a Last-Event-ID header
// resumes after that seq. An unknown call is 404.
func (h *Hub) EventsHandler() http.Handler {
	return http.HandlerFunc(h.serveEvents)
}

func (h *Hub) serveEvents(w http.ResponseWriter, r *http.Request) {
	sse := acceptsEventStream(r)
	if !sse && !websocket.IsWebSocketUpgrade(r) {
		writeError(w, http.StatusBadRequest, "open a WebSocket, or send Accept: text/event-stream")
		return
	}
	opts, err := subscribeOptions(r, sse)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	sub, err := h.Subscribe(r.Context(), r.PathValue("call_id"), opts)
	switch {
	case errors.Is(err, ErrUnknownCall):
		writeError(w, http.StatusNotFound, "unknown call")
		return
	case errors.Is(err, ErrTooManySubscribers):
		writeError(w, http.StatusTooManyRequests, fmt.Sprintf("the call has %d subscribers, the most it takes", h.cfg.MaxSubscribers))
		return
	case err != nil:
		writeError(w, http.StatusServiceUnavailable, err.Error())
		return
	}
	defer sub.Close()
	if sse {
		h.serveSSE(w, r, sub)
	} else {
		h.serveWebSocket(w, r, sub) //nolint:contextcheck // a hijacked connection lives by the hub, not the request
	}
}

// subscribeOptions reads partials, from_seq and, for event streams,
// Last-Event-ID. Partials are on unless partials=false.
func subscribeOptions(r *http.Request, sse bool) (SubscribeOptions, error) {
	opts := SubscribeOptions{Partials: true}
	q := r.URL.Query()
	if v := q.Get("partials"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return opts, errors.New("partials must be true or false")
		}
		opts.Partials = b
	}
	if v := q.Get("from_seq"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return opts, errors.New("from_seq must be a seq number")
		}
		opts.FromSeq = n
	}
	if v := r.Header.Get("Last-Event-ID"); sse && v != "" {
		n, err := strconv.ParseUint(strings.TrimSpace(v), 10, 64)
		if err != nil {
			return opts, errors.New("Last-Event-ID must be a seq number")
		}
		// The browser resends the last id it saw: start after it.
		opts.FromSeq = max(opts.FromSeq, n+1)
	}
	return opts, nil
}

func acceptsEventStream(r *http.Request) bool {
	for _, v := range r.Header.Values("Accept") {
		for part := range strings.SplitSeq(v, ",") {
			mt, _, _ := strings.Cut(part, ";")
			if strings.EqualFold(strings.TrimSpace(mt), "text/event-stream") {
				return true
			}
		}
	}
	return false
}
