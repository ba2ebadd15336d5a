package call

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// serveSSE writes the subscription as Server-Sent Events: each event as
// "id: <seq>", "event: <type>", "data: <json>", a comment line as
// heartbeat, and the end of the response after call.ended.
func (h *Hub) serveSSE(w http.ResponseWriter, r *http.Request, sub *Subscription) {
	if sub.exhausted() {
		// An EventSource reconnects whenever a stream ends; 204 is how the
		// protocol tells it the call has nothing more to send.
		w.WriteHeader(http.StatusNoContent)
		return
	}
	rc := http.NewResponseController(w)
	hdr := w.Header()
	hdr.Set("Content-Type", "text/event-stream")
	hdr.Set("Cache-Control", "no-cache")
	hdr.Set("X-Accel-Buffering", "no") // keep buffering proxies from holding events back
	w.WriteHeader(http.StatusOK)
	if rc.Flush() != nil {
		return
	}
	beat := startHeartbeat(h.clock, h.cfg.Heartbeat)
	defer beat.stop()
	ctx := r.Context()
	for {
		e, err := sub.next(ctx, beat.C)
		var chunk []byte
		switch {
		case errors.Is(err, errWoken):
			chunk = []byte(": heartbeat\n\n")
			beat.arm()
		case errors.Is(err, ErrSlowSubscriber):
			// The stream ends; the EventSource reconnects with
			// Last-Event-ID and the replay fills in what was lost.
			chunk = []byte(": slow subscriber, reconnect to resume\n\n")
		case err != nil:
			if !errors.Is(err, io.EOF) && ctx.Err() == nil {
				sub.call.log.Debug("event stream ended", "err", err)
			}
			return
		default:
			data, jerr := json.Marshal(e)
			if jerr != nil {
				sub.call.log.Error("event not encodable", "seq", e.Seq, "err", jerr)
				return
			}
			chunk = fmt.Appendf(nil, "id: %d\nevent: %s\ndata: %s\n\n", e.Seq, e.Type, data)
		}
		// Socket deadlines are wall-clock by nature: they bound a stuck
		// client, they are not call policy.
		_ = rc.SetWriteDeadline(time.Now().Add(h.cfg.WriteTimeout))
		if _, werr := w.Write(chunk); werr != nil || rc.Flush() != nil {
			return
		}
		if errors.Is(err, ErrSlowSubscriber) {
			return
		}
	}
}
