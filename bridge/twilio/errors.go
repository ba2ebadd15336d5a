package twilio

import "errors"

// Sentinel errors of the transport; the protocol's own are in package wire.
var (
	// ErrBinaryFrame reports a binary WebSocket message: the protocol has
	// text messages only.
	ErrBinaryFrame = errors.New("twilio: binary frame")

	// ErrBadConfig reports a Config that Validate rejects.
	ErrBadConfig = errors.New("twilio: bad config")
)
