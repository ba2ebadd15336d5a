package twiliotest_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge/twilio/twiliotest"
	"github.com/callscribe/callscribe/bridge/twilio/wire"
)

func ExampleStreamEncoder() {
	enc := twiliotest.NewStreamEncoder(twiliotest.StreamInfo{AccountSID: "AC1", CallSID: "CA1", StreamSID: "MZ1"})
	enc.Connected()
	enc.Start()
	oneMS := []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff} // 8 samples of μ-law silence
	fmt.Printf("%s\n", enc.Media(wire.TrackInbound, oneMS))
	fmt.Printf("%s\n", enc.Media(wire.TrackInbound, oneMS))
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
		var p wire.Parser
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
	c, err := twiliotest.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http"), twiliotest.StreamInfo{CallSID: "CA1", StreamSID: "MZ1"})
	if err != nil {
		panic(err)
	}
	_ = c.Begin()
	// 60 ms of audio in 20 ms frames, ten times faster than real time.
	_ = c.Play(ctx, twiliotest.PlayOptions{Speed: 10}, twiliotest.TrackAudio{Track: wire.TrackInbound, Audio: make([]byte, 480)})
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
