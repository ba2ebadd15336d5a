// Package wsconn is the session skeleton every WebSocket transport of
// callscribe shares: the Twilio Media Streams endpoint, the raw-audio
// /v1/listen endpoint and the call hub's events endpoint today, a
// WebRTC data channel or another dialect tomorrow.
//
// A Server upgrades a request, tracks the session so that Shutdown can end
// it and wait for it, and asks the Admission whether a new call may start.
// The Session it runs owns everything that is not the protocol: the read
// loop with its deadline (extended by every message and pong), the writer
// goroutine (keepalive pings on an injected clock, the call's events, the
// close frame), the close decision and its handshake. A protocol implements
// Handler: Open once, Message for each message, Finish once reading
// stopped, whatever stopped it. A Handler ends the session by returning
// ErrDone (a normal end) or a *CloseError (a code and a reason for the
// peer) from Message.
//
// Pings follow the injected Clock, so tests move them by hand; socket
// deadlines are wall-clock, since they bound what a network peer may hold
// up and are no call policy.
//
// Every session has at most two goroutines, both ended before Run
// returns: the one that called Run reads, the writer writes. The writer
// forwards one Feed at a time, pulling its events from a Source; a Source
// that falls behind is the hub's business (bounded queues, partials
// dropped first), never the reader's.
package wsconn
