package twilio_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge/twilio"
)

func ExampleParseMessage() {
	data := []byte(`{"event":"media","sequenceNumber":"3","media":{"track":"inbound","chunk":"2","timestamp":"20","payload":"/////w=="},"streamSid":"MZ42"}`)
	m, err := twilio.ParseMessage(data)
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

// Errors wrap a sentinel that says what kind of fault it is, and CloseFor
// turns them into the close frame a session ends the stream with.
func ExampleCloseFor() {
	_, err := twilio.ParseMessage([]byte(`{"event":"media","media":{"payload":"AAAA"}}`))
	fmt.Println(errors.Is(err, twilio.ErrMissingField), err)
	fmt.Println(twilio.CloseFor(err))

	start := twilio.Start{MediaFormat: twilio.MediaFormat{Encoding: "audio/x-l16", SampleRate: 16000, Channels: 1}}
	fmt.Println(twilio.CloseFor(start.MediaFormat.Validate()))
	// Output:
	// true twilio: missing field: media.timestamp
	// 1007 twilio: missing field: media.timestamp
	// 1003 twilio: unsupported media format: encoding "audio/x-l16", want "audio/x-mulaw"
}

func ExampleStreamEncoder() {
	enc := twilio.NewStreamEncoder(twilio.StreamInfo{AccountSID: "AC1", CallSID: "CA1", StreamSID: "MZ1"})
	enc.Connected()
	enc.Start()
	oneMS := []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff} // 8 samples of μ-law silence
	fmt.Printf("%s\n", enc.Media(twilio.TrackInbound, oneMS))
	fmt.Printf("%s\n", enc.Media(twilio.TrackInbound, oneMS))
	fmt.Printf("%s\n", enc.Stop())
	// Output:
	// {"event":"media","sequenceNumber":"2","media":{"track":"inbound","chunk":"1","timestamp":"0","payload":"//////////8="},"streamSid":"MZ1"}
	// {"event":"media","sequenceNumber":"3","media":{"track":"inbound","chunk":"2","timestamp":"1","payload":"//////////8="},"streamSid":"MZ1"}
	// {"event":"stop","sequenceNumber":"4","stop":{"accountSid":"AC1","callSid":"CA1"},"streamSid":"MZ1"}
}

// A client plays a short call to a server that parses what it receives.
func ExampleClient() {
	done := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer close(done)
		conn, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer conn.Close()
		var p twilio.Parser
		for {
			_, data, err := conn.ReadMessage()
			if err != nil {
				return
			}
			m, err := p.Parse(data)
			if err != nil {
				fmt.Println("server:", err)
				return
			}
			fmt.Println("server got", m.Event, m.Media.TimestampMS)
		}
	}))
	defer srv.Close()

	ctx := context.Background()
	c, err := twilio.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http"), twilio.StreamInfo{CallSID: "CA1", StreamSID: "MZ1"})
	if err != nil {
		panic(err)
	}
	_ = c.Begin()
	// 60 ms of audio in 20 ms frames, ten times faster than real time.
	_ = c.Play(ctx, twilio.PlayOptions{Speed: 10}, twilio.TrackAudio{Track: twilio.TrackInbound, Audio: make([]byte, 480)})
	_ = c.SendStop()
	_ = c.Close()
	<-done
	// Output:
	// server got connected 0
	// server got start 0
	// server got media 0
	// server got media 20
	// server got media 40
	// server got stop 0
}
