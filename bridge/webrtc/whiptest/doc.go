// Package whiptest is the client's side of WHIP, for tests and load: a
// pion peer connection that sends audio tracks of RTP packets the caller
// makes (so it decides sequence numbers, timestamps, loss and reordering),
// POSTs its offer to a WHIP endpoint, reads the call's events from the
// transcripts data channel, trickles candidates, and DELETEs its session.
// It can also vanish: stop every packet, as a peer whose network died.
package whiptest
