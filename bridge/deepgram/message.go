package deepgram

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge/wsconn"
)

// control is a text message from the client. Channel, on a Finalize,
// names one channel to finalize: a number or [channel, channels].
type control struct {
	Type    string          `json:"type"`
	Channel json.RawMessage `json:"channel,omitempty"`
}

// Message takes audio (binary) and control messages (text): KeepAlive,
// Finalize, CloseStream. An empty binary message is CloseStream, as for
// Deepgram. A text message that is none of these is answered with an
// Error message and the stream goes on.
func (s *session) Message(ctx context.Context, binary bool, data []byte) error {
	if binary {
		if len(data) == 0 {
			return wsconn.ErrDone
		}
		s.ws.MediaArrived()
		return s.audio(ctx, data)
	}
	var c control
	if json.Unmarshal(data, &c) != nil {
		c.Type = "" // answered below as no message type
	}
	switch c.Type {
	case "KeepAlive":
		s.ws.MediaArrived()
	case "Finalize":
		s.finalize(c.Channel)
	case "CloseStream":
		return wsconn.ErrDone
	case "":
		s.schemaError(data, "text messages must be JSON control messages with a type")
	default:
		s.schemaError(data, fmt.Sprintf("unknown message type %q (KeepAlive, Finalize, CloseStream)", c.Type))
	}
	return nil
}

// finalize ends the utterance in progress on every channel, or on the one
// channel named; each answer reaches the translator.
func (s *session) finalize(channel json.RawMessage) {
	only := -1
	if len(channel) > 0 {
		var n int
		var pair []int
		switch {
		case json.Unmarshal(channel, &n) == nil:
			only = n
		case json.Unmarshal(channel, &pair) == nil && len(pair) > 0:
			only = pair[0]
		}
	}
	for i, f := range s.tracks {
		if only >= 0 && i != only {
			continue
		}
		err := f.FinalizeReport(func(id string) {
			s.out.do(func(tr *translator, media float64) []any { return tr.finalized(i, id, media) })
		})
		if err != nil {
			s.log.Warn("finalize", "track", fmt.Sprintf("ch%d", i), "err", err)
		}
	}
}

func (s *session) schemaError(data []byte, why string) {
	s.out.do(func(*translator, float64) []any {
		return []any{ErrorMessage{Type: "Error", Variant: "SchemaError", Description: why, Message: wsconn.ClipReason(string(data))}}
	})
}

// newRequestID returns a random UUID (version 4), as Deepgram's request IDs
// are.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[:4], b[4:6], b[6:8], b[8:10], b[10:])
}

func errorsJoin(errs ...error) error { return errors.Join(errs...) }

// now is the session's clock time.
func (s *session) now() time.Time { return s.srv.cfg.Clock.Now() }

// tooFast closes a stream whose audio runs ahead of real time.
func tooFast(err error) *wsconn.CloseError {
	return &wsconn.CloseError{Code: websocket.ClosePolicyViolation, Reason: "audio faster than real time", Err: err}
}
