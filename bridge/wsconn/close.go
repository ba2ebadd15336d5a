package wsconn

import (
	"errors"
	"fmt"
	"log/slog"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"
)

// Close reasons the skeleton itself sends. Transports reuse them so that one
// situation always reads the same to a peer.
const (
	// ReasonShuttingDown goes with 1001 when the server shuts down.
	ReasonShuttingDown = "server shutting down"
	// ReasonOverloaded goes with 1013 when Admission refuses a session.
	ReasonOverloaded = "server at capacity, retry later"
	// ReasonInternalError goes with 1011. It deliberately says nothing of
	// the cause, which stays in the server's log.
	ReasonInternalError = "internal error"
	// ReasonMessageTooBig goes with 1009.
	ReasonMessageTooBig = "message too big"
	// ReasonTooLong goes with 1008 when a session reaches MaxDuration.
	ReasonTooLong = "maximum call duration reached"
	// ReasonNoMedia goes with 1008 when no media came for MediaTimeout.
	ReasonNoMedia = "no media received"
)

// MaxReasonBytes is the most reason text a close frame carries: a control
// frame holds 125 bytes, two of which are the code.
const MaxReasonBytes = 123

// CloseError ends a session with a close code (RFC 6455 section 7.4) and a
// reason for the peer. Err is the cause, for the server's log; the peer
// never sees it.
type CloseError struct {
	Code   int
	Reason string
	Err    error
}

// Error describes the close and its cause.
func (e *CloseError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("%s (%d)", e.Reason, e.Code)
	}
	return fmt.Sprintf("%s (%d): %v", e.Reason, e.Code, e.Err)
}

// Unwrap returns the cause.
func (e *CloseError) Unwrap() error { return e.Err }

// ClipReason shortens a close reason to MaxReasonBytes without splitting a
// character.
func ClipReason(reason string) string {
	if len(reason) <= MaxReasonBytes {
		return reason
	}
	cut := MaxReasonBytes
	for cut > 0 && !utf8.RuneStart(reason[cut]) {
		cut--
	}
	return reason[:cut]
}

// FormatClose returns the payload of a close frame with code and reason,
// the reason clipped to fit.
func FormatClose(code int, reason string) []byte {
	return websocket.FormatCloseMessage(code, ClipReason(reason))
}

// refuse closes a connection no session runs on (yet): a close frame with
// code and reason, then the socket. A peer already gone is only logged.
func refuse(conn Conn, code int, reason string, timeout time.Duration, log *slog.Logger) {
	err := errors.Join(
		conn.WriteControl(websocket.CloseMessage, FormatClose(code, reason), time.Now().Add(timeout)),
		conn.Close())
	if err != nil {
		log.Debug("refusing a session", "code", code, "err", err)
	}
}
