package twilio_test

import (
	"errors"
	"fmt"

	"github.com/callscribe/callscribe/bridge/twilio"
	"github.com/callscribe/callscribe/bridge/twilio/wire"
)

// Errors wrap a sentinel that says what kind of fault it is, and CloseFor
// turns them into the close frame a session ends the stream with.
func ExampleCloseFor() {
	_, err := wire.ParseMessage([]byte(`{"event":"media","media":{"payload":"AAAA"}}`))
	fmt.Println(errors.Is(err, wire.ErrMissingField), err)
	fmt.Println(twilio.CloseFor(err))

	start := wire.Start{MediaFormat: wire.MediaFormat{Encoding: "audio/x-l16", SampleRate: 16000, Channels: 1}}
	fmt.Println(twilio.CloseFor(start.MediaFormat.Validate()))
	// Output:
	// true twilio: missing field: media.timestamp
	// 1007 twilio: missing field: media.timestamp
	// 1003 twilio: unsupported media format: encoding "audio/x-l16", want "audio/x-mulaw"
}
