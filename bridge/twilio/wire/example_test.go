package wire_test

import (
	"fmt"

	"github.com/callscribe/callscribe/bridge/twilio/wire"
)

func ExampleParseMessage() {
	data := []byte(`{"event":"media","sequenceNumber":"3","media":{"track":"inbound","chunk":"2","timestamp":"20","payload":"/////w=="},"streamSid":"MZ42"}`)
	m, err := wire.ParseMessage(data)
	if err != nil {
		panic(err)
	}
	audio, err := m.Media.AppendPayload(nil)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s #%d on %s: %s chunk %d at %d ms, %d samples\n",
		m.Event, m.SequenceNumber, m.StreamSID, m.Media.Track, m.Media.Chunk, m.Media.TimestampMS, len(audio))
	// Output: media #3 on MZ42: inbound chunk 2 at 20 ms, 4 samples
}

// A server writes marks and clears on a bidirectional stream with Encode.
func ExampleEncode() {
	mark, _ := wire.Encode(wire.Message{Event: wire.EventMark, StreamSID: "MZ1", Mark: wire.Mark{Name: "utterance-3"}})
	clear, _ := wire.Encode(wire.Message{Event: wire.EventClear, StreamSID: "MZ1"})
	fmt.Printf("%s\n%s\n", mark, clear)
	// Output:
	// {"event":"mark","streamSid":"MZ1","mark":{"name":"utterance-3"}}
	// {"event":"clear","streamSid":"MZ1"}
}
