package wsconn

import (
	"context"
	"io"
	"net"
	"time"
)

// Handler is one protocol's side of a session. The session calls its
// methods from one goroutine, in order: Open, Message for each message,
// Finish.
type Handler interface {
	// Open is called once the session is admitted, before the first read.
	// s is the session to write through (Follow) and to log with. An error
	// ends the session as one from Message does.
	Open(ctx context.Context, s *Session) error
	// Message handles one message from the peer, binary or text. data is
	// only valid until Message returns. Returning nil reads on; ErrDone
	// ends the session normally; a *CloseError ends it with its code and
	// reason; any other error ends it with 1011 and is logged.
	Message(ctx context.Context, binary bool, data []byte) error
	// Finish ends the protocol's work once reading stopped, whatever
	// stopped it (end says what), before the close frame: events it emits
	// now (the last finals) still reach the peer.
	Finish(end Ending)
}

// EndKind says what ended a session.
type EndKind int

// What ends a session.
const (
	// EndDone: the protocol ended the stream (Message returned ErrDone, or
	// Close was called with nil).
	EndDone EndKind = iota
	// EndClosed: a CloseError ended it (Message returned one, or Close was
	// called with one).
	EndClosed
	// EndShutdown: the server shut down.
	EndShutdown
	// EndPeerGone: the peer closed the connection, the network failed, or
	// the peer stayed silent for ReadTimeout.
	EndPeerGone
)

// Ending tells a Handler's Finish why its session ends and with what close
// frame.
type Ending struct {
	Kind EndKind
	// Code and Reason are the close frame sent to the peer.
	Code   int
	Reason string
	// Err is the cause: the CloseError's, the read error, or the
	// Handler's own error; nil for EndDone.
	Err error
}

// Conn is the message connection a Session runs on. *websocket.Conn is
// one; a transport without WebSocket framing (a WebRTC data channel) runs
// a session through an adapter of this shape.
type Conn interface {
	NextReader() (messageType int, r io.Reader, err error)
	WriteMessage(messageType int, data []byte) error
	WriteControl(messageType int, data []byte, deadline time.Time) error
	SetReadDeadline(t time.Time) error
	SetWriteDeadline(t time.Time) error
	SetReadLimit(limit int64)
	SetPongHandler(h func(appData string) error)
	RemoteAddr() net.Addr
	Close() error
}
