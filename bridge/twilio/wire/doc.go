// Package wire is the Twilio Media Streams protocol itself: the JSON text
// messages a telephony platform sends over a WebSocket while it forks the
// audio of a live call, the few a server sends back, the one audio format
// callscribe decodes, and the errors a malformed message raises. It is what
// any peer of the protocol needs, the server (package twilio) and the
// platform's side in tests (package twiliotest) alike, and it knows nothing
// of sockets or calls.
//
// ParseMessage and Parser turn bytes into a typed Message through
// encoding/json and plain structs, then check the fields the event cannot
// do without; every error wraps exactly one of the package's sentinels.
// Counters and timestamps, which the platform writes as strings of digits,
// are read from a string or a number. Encode writes a Message the way the
// platform does, so that a parsed message encoded and parsed again is the
// same message.
//
// Parsing a 20 ms media message allocates a few small strings (event,
// track, stream SID); a Parser reuses its buffers, so the payload text does
// not cost an allocation per message, and Media.AppendPayload decodes the
// audio into a buffer the caller owns.
package wire
