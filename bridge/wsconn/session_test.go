package wsconn

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge/event"
)

// The handler's answer to a message decides the close frame the peer
// reads and the Ending its Finish gets.
func TestSessionEndsAsTheHandlerDecides(t *testing.T) {
	cause := errors.New("track sink failed")
	for _, tc := range []struct {
		name   string
		answer error
		kind   EndKind
		code   int
		reason string
	}{
		{"done", ErrDone, EndDone, 1000, "stream stopped"},
		{"close error", &CloseError{Code: 1008, Reason: "media before start", Err: cause}, EndClosed, 1008, "media before start"},
		{"other error", cause, EndClosed, 1011, ReasonInternalError},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHandler()
			var got []string
			h.message = func(binary bool, data []byte) error {
				got = append(got, fmt.Sprint(binary, " ", string(data)))
				if string(data) == "end" {
					return tc.answer
				}
				return nil
			}
			_, url := serve(t, Config{NormalReason: "stream stopped"}, nil, h)
			conn := dial(t, url)
			for _, m := range []struct {
				kind int
				data string
			}{{websocket.TextMessage, "a"}, {websocket.BinaryMessage, "b"}, {websocket.TextMessage, "end"}} {
				if err := conn.WriteMessage(m.kind, []byte(m.data)); err != nil {
					t.Fatal(err)
				}
			}
			ce, _ := closeOf(t, conn)
			end := h.waitEnded(t)
			if ce.Code != tc.code || ce.Text != tc.reason {
				t.Errorf("peer read %d %q, want %d %q", ce.Code, ce.Text, tc.code, tc.reason)
			}
			if end.Kind != tc.kind || end.Code != tc.code || end.Reason != tc.reason {
				t.Errorf("Finish got %+v", end)
			}
			if tc.kind == EndClosed && !errors.Is(end.Err, cause) {
				t.Errorf("Finish got cause %v, want %v", end.Err, cause)
			}
			if strings.Join(got, ",") != "false a,true b,false end" {
				t.Errorf("messages %q", got)
			}
		})
	}
}

// The feed's events reach the peer as JSON, and events the handler's Finish
// emits still go out before the close frame.
func TestSessionForwardsItsFeedUntilTheCloseFrame(t *testing.T) {
	sub := newBackChannel()
	h := newHandler()
	h.open = func(_ context.Context, s *Session) error {
		s.Follow(Feed{Source: Subscription(sub)})
		return nil
	}
	h.message = func(bool, []byte) error { return ErrDone }
	h.finish = func(Ending) { sub.ch <- event.Event{Type: event.Transcript, Seq: 3, Text: "last final"} }
	_, url := serve(t, Config{}, nil, h)
	conn := dial(t, url)
	sub.ch <- event.Event{Type: event.CallStarted, Seq: 1}
	sub.ch <- event.Event{Type: event.Transcript, Seq: 2, Text: "hello"}
	for want := uint64(1); want <= 2; want++ {
		var e event.Event
		if err := conn.ReadJSON(&e); err != nil || e.Seq != want {
			t.Fatalf("read seq %d (%v), want %d", e.Seq, err, want)
		}
	}
	if err := conn.WriteMessage(websocket.TextMessage, []byte("stop")); err != nil {
		t.Fatal(err)
	}
	ce, texts := closeOf(t, conn)
	var last event.Event
	if len(texts) != 1 || json.Unmarshal([]byte(texts[0]), &last) != nil || last.Text != "last final" {
		t.Errorf("before the close frame: %q, want the last final", texts)
	}
	if ce.Code != 1000 || ce.Text != "stream closed" {
		t.Errorf("close %d %q", ce.Code, ce.Text)
	}
	h.waitEnded(t)
	if !sub.isClosed() {
		t.Error("the subscription was not closed")
	}
}
