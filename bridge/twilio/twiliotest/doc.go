// Package twiliotest plays the telephony platform's side of Twilio Media
// Streams, the way net/http/httptest sits beside net/http: StreamEncoder
// produces the exact messages the platform sends for one stream (sequence
// numbers, chunk counters and media timestamps included), and Client plays
// them over a WebSocket, optionally paced in real time. Tests, examples,
// the end-to-end tests and the load generator (callscribe-bench) call a
// server with it as the platform would.
package twiliotest
