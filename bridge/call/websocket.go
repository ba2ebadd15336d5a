package call

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/gorilla/websocket"
)

// Socket deadlines below use wall-clock time: they bound what a network
// peer may hold up, which no test needs to fake. Ping intervals use the
// hub's clock.

// serveWebSocket writes the subscription to a WebSocket, one JSON text
// message per event, pinging every PingInterval; it closes the connection
// with 1000 after call.ended, 1013 when the subscriber was too slow and
// 1001 when the hub closes.
func (h *Hub) serveWebSocket(w http.ResponseWriter, r *http.Request, sub *Subscription) {
	up := websocket.Upgrader{ReadBufferSize: 1024, WriteBufferSize: 4096, CheckOrigin: h.cfg.CheckOrigin}
	conn, err := up.Upgrade(w, r, nil)
	if err != nil {
		return // Upgrade has answered the request
	}
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	readDone := make(chan struct{})
	go func() {
		defer close(readDone)
		defer cancel() // the client left: stop writing
		h.readUntilClosed(conn)
	}()
	code, reason := h.writeEvents(ctx, conn, sub)
	if code != 0 {
		msg := websocket.FormatCloseMessage(code, reason)
		if conn.WriteControl(websocket.CloseMessage, msg, time.Now().Add(h.cfg.WriteTimeout)) == nil {
			// Give the client the time of one write to answer the close,
			// which the reader sees and returns on.
			t := time.NewTimer(h.cfg.WriteTimeout)
			select {
			case <-readDone:
			case <-t.C:
			}
			t.Stop()
		}
	}
	conn.Close()
	<-readDone
}

// readUntilClosed reads, and drops, what the client sends: reading is what
// processes its pongs and close frame. It returns when the connection fails,
// closes, or stays silent for PongWait.
func (h *Hub) readUntilClosed(conn *websocket.Conn) {
	conn.SetReadLimit(4096)
	extend := func(string) error { return conn.SetReadDeadline(time.Now().Add(h.cfg.PongWait)) }
	_ = extend("")
	conn.SetPongHandler(extend)
	for {
		if _, _, err := conn.NextReader(); err != nil {
			return
		}
		_ = extend("")
	}
}

// writeEvents sends events until the subscription or the connection ends,
// and returns the close code and reason to send (0 for none).
func (h *Hub) writeEvents(ctx context.Context, conn *websocket.Conn, sub *Subscription) (int, string) {
	beat := startHeartbeat(h.clock, h.cfg.PingInterval)
	defer beat.stop()
	for {
		e, err := sub.next(ctx, beat.C)
		switch {
		case errors.Is(err, errWoken):
			if conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(h.cfg.WriteTimeout)) != nil {
				return 0, ""
			}
			beat.arm()
			continue
		case errors.Is(err, io.EOF):
			return websocket.CloseNormalClosure, "call ended"
		case errors.Is(err, ErrSlowSubscriber):
			return websocket.CloseTryAgainLater, fmt.Sprintf("slow subscriber: resume with from_seq=%d", sub.LastSeq()+1)
		case errors.Is(err, ErrHubClosed):
			return websocket.CloseGoingAway, "server shutting down"
		case err != nil:
			return 0, "" // the client left
		}
		data, err := json.Marshal(e)
		if err != nil {
			sub.call.log.Error("event not encodable", "seq", e.Seq, "err", err)
			return websocket.CloseInternalServerErr, "event not encodable"
		}
		_ = conn.SetWriteDeadline(time.Now().Add(h.cfg.WriteTimeout))
		if conn.WriteMessage(websocket.TextMessage, data) != nil {
			return 0, ""
		}
	}
}
