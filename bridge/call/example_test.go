package call_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/callscribe/callscribe/bridge/call"
	"github.com/callscribe/callscribe/bridge/event"
)

// A transport opens a stream, reports what the pipeline produces and ends
// the stream; a subscriber follows the call; a sink sees every event first.
func Example() {
	ctx := context.Background()
	outbox := call.SinkFunc(func(_ context.Context, e event.Event) error {
		fmt.Println("sink:", e.Seq, e.WebhookType())
		return nil
	})
	hub, err := call.New(call.Config{Sinks: []call.Sink{outbox}, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		fmt.Println(err)
		return
	}
	stream, err := hub.Start(ctx, call.StartRequest{
		Key: "CA0001", StreamID: "MZ0001", Source: "twilio", Tracks: []string{"inbound", "outbound"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	sub, err := hub.Subscribe(context.Background(), stream.CallID(), call.SubscribeOptions{Partials: false})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer sub.Close()

	stream.Emit(event.Event{Type: event.Transcript, Track: "inbound", UtteranceID: "u1", Text: "I'd like"})
	stream.Emit(event.Event{Type: event.Transcript, IsFinal: true, Track: "inbound", UtteranceID: "u1",
		Text: "I'd like to check my order", Start: 0.4, End: 2.1})
	stream.Emit(event.Event{Type: event.Transcript, IsFinal: true, Track: "outbound", UtteranceID: "u2",
		Text: "Sure, one moment", Start: 0.2, End: 0.9})
	stream.AdvanceMedia(3)
	stream.End("stop")
	// Close ends the call at once instead of after the reconnect grace period.
	hub.Close()

	for {
		e, err := sub.Next(ctx)
		if err != nil {
			break
		}
		fmt.Println(strings.TrimSpace(fmt.Sprint("subscriber: ", e.Seq, " ", e.Type, " ", e.Text)))
		if e.Type == event.CallEnded {
			fmt.Print(event.PlainText(e.Transcript))
			fmt.Println("duration:", e.Call.DurationSec, "reason:", e.Call.EndReason)
		}
	}
	// Output:
	// sink: 1 call.started
	// sink: 2 transcript.partial
	// sink: 3 transcript.final
	// sink: 4 transcript.final
	// sink: 5 call.ended
	// subscriber: 1 call.started
	// subscriber: 3 transcript I'd like to check my order
	// subscriber: 4 transcript Sure, one moment
	// subscriber: 5 call.ended
	// [outbound 00:00] Sure, one moment
	// [inbound 00:00] I'd like to check my order
	// duration: 3 reason: stop
}
