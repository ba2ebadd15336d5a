package wsconn

import (
	"io"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/event"
)

// Source is a sequence of a call's events that a session forwards to its
// peer. It is read by the session's writer goroutine only.
type Source interface {
	// Next returns the next event as soon as one is queued, preferring a
	// queued event to a ready wake channel. With none queued, it waits
	// until one is, or returns ErrWoken once wake is ready. After the
	// last event it returns why the source ended: io.EOF after call.ended,
	// another error (a slow subscriber, a hub closing) otherwise.
	Next(wake <-chan struct{}) (event.Event, error)
	// Close stops the source; it is called once the feed ends.
	Close()
}

// Feed is what a session's writer forwards: events from Source, each
// encoded as one text message.
type Feed struct {
	Source Source
	// Encode turns an event into the message sent. Nil sends the event's
	// JSON, callscribe's event schema; another dialect (a
	// Deepgram-compatible one) brings its own. An event Encode fails on
	// is logged and skipped.
	Encode func(event.Event) ([]byte, error)
	// Ended, if set, is called on the writer's goroutine when the feed
	// ends before the session: with the Source's end (io.EOF after
	// call.ended) or an error wrapping ErrWriteFailed. A feed that ends
	// leaves the session running; Ended may end it with Session.Close.
	Ended func(err error)
}

// Subscription returns the Source of a transport's back-channel
// subscription.
func Subscription(sub bridge.Subscription) Source { return subscription{sub} }

type subscription struct{ sub bridge.Subscription }

func (s subscription) Next(wake <-chan struct{}) (event.Event, error) {
	select {
	case e, ok := <-s.sub.C():
		return s.got(e, ok)
	default:
	}
	select {
	case e, ok := <-s.sub.C():
		return s.got(e, ok)
	case <-wake:
		return event.Event{}, ErrWoken
	}
}

func (s subscription) got(e event.Event, ok bool) (event.Event, error) {
	if ok {
		return e, nil
	}
	if err := s.sub.Err(); err != nil {
		return event.Event{}, err
	}
	return event.Event{}, io.EOF
}

func (s subscription) Close() { s.sub.Close() }
