// Package twilio speaks the Twilio Media Streams wire protocol: the JSON text
// messages a telephony platform sends over a WebSocket while it forks the
// audio of a live call, and the few messages a server may send back.
//
// The package is a transport codec only. It turns bytes into typed messages
// (ParseMessage, Parser) whose media carries the call-clock timestamp the
// platform stamped on it, checks that a stream's audio format is one callscribe
// accepts (MediaFormat.Validate), and names the WebSocket close codes and
// reasons a session uses when it ends a stream (CloseFor). It
// holds no call policy: what to do with an out-of-order message, an unknown
// event or a stream that floods faster than real time is the session's call.
//
// The other direction is here too, for tests, examples and the load
// generator: StreamEncoder produces the exact messages Twilio sends for one
// stream (numbering, chunk counters and media timestamps included) and
// Client plays them over a *websocket.Conn, optionally paced in real time.
//
// On the media hot path Parser.Parse does not allocate once the stream SID is
// known, and Media.AppendPayload decodes the base64 audio into a buffer the
// caller owns.
package twilio
