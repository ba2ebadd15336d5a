package twilio

import (
	"errors"

	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge/twilio/wire"
	"github.com/callscribe/callscribe/bridge/wsconn"
)

// WebSocket close codes (RFC 6455 section 7.4) a session sends when it ends a
// Media Streams connection, named for the situation each is used in. The
// platform logs the code and reason, so the same situation must always map to
// the same pair.
const (
	// CloseStreamStopped ends a stream after its stop message.
	CloseStreamStopped = websocket.CloseNormalClosure // 1000
	// CloseShuttingDown ends a stream because the server is going away.
	CloseShuttingDown = websocket.CloseGoingAway // 1001
	// CloseUnsupportedFormat ends a stream whose start announced audio the
	// server cannot decode (MediaFormat.Validate failed), or that sent a
	// binary frame where the protocol only has text.
	CloseUnsupportedFormat = websocket.CloseUnsupportedData // 1003
	// CloseInvalidMessage ends a stream that sent a message that does not
	// parse: malformed JSON, a missing or bad field, a bad payload.
	CloseInvalidMessage = websocket.CloseInvalidFramePayloadData // 1007
	// CloseOutOfOrder ends a stream that broke the message order, such as
	// media before start or a second start.
	CloseOutOfOrder = websocket.ClosePolicyViolation // 1008
	// CloseTooFast ends a stream whose media runs ahead of wall time by more
	// than the session allows: a replay or a flood, not a live call.
	CloseTooFast = websocket.ClosePolicyViolation // 1008
	// CloseUnauthorized ends a stream Config.Authorize refused at start: no
	// Twilio signature, no key on the upgrade and none in its parameters,
	// or a key that is bad or at its limit of calls.
	CloseUnauthorized = websocket.ClosePolicyViolation // 1008
	// CloseMessageTooBig ends a stream that sent a message over
	// wire.MaxMessageBytes.
	CloseMessageTooBig = websocket.CloseMessageTooBig // 1009
	// CloseInternalError ends a stream the server failed to process.
	CloseInternalError = websocket.CloseInternalServerErr // 1011
	// CloseOverloaded refuses or ends a stream because the server is at
	// capacity; the platform may retry later.
	CloseOverloaded = websocket.CloseTryAgainLater // 1013
)

// Close reasons that go with the codes above for situations the session
// detects itself. Reasons for parse errors come from the error (CloseFor).
const (
	// ReasonStreamStopped goes with CloseStreamStopped.
	ReasonStreamStopped = "stream stopped"
	// ReasonShuttingDown goes with CloseShuttingDown.
	ReasonShuttingDown = wsconn.ReasonShuttingDown
	// ReasonUnsupportedFormat goes with CloseUnsupportedFormat when start
	// announced audio the server cannot decode.
	ReasonUnsupportedFormat = "unsupported media format"
	// ReasonBinaryFrame goes with CloseUnsupportedFormat when binary
	// frames arrive.
	ReasonBinaryFrame = "binary frames are not part of the protocol"
	// ReasonMediaBeforeStart goes with CloseOutOfOrder.
	ReasonMediaBeforeStart = "media before start"
	// ReasonUnauthorized goes with CloseUnauthorized. What was wrong stays
	// in the server's log.
	ReasonUnauthorized = "unauthorized: sign the request, or send a valid key as the token parameter"
	// ReasonDuplicateStart goes with CloseOutOfOrder.
	ReasonDuplicateStart = "second start on one stream"
	// ReasonTooFast goes with CloseTooFast.
	ReasonTooFast = "media faster than real time"
	// ReasonOverloaded goes with CloseOverloaded.
	ReasonOverloaded = wsconn.ReasonOverloaded
	// ReasonInternalError goes with CloseInternalError; it deliberately
	// says nothing of the cause, which stays in the server's log.
	ReasonInternalError = wsconn.ReasonInternalError
)

// CloseFor returns the close code and reason for an error of this package,
// so that a session ends a stream the same way for the same fault. An error
// that wraps none of the package's sentinels maps to CloseInternalError. For
// a parse error the reason is the error's text, cut to fit a close frame.
func CloseFor(err error) (code int, reason string) {
	switch {
	case err == nil:
		return CloseStreamStopped, ReasonStreamStopped
	case errors.Is(err, ErrBinaryFrame):
		return CloseUnsupportedFormat, ReasonBinaryFrame
	case errors.Is(err, wire.ErrOversized):
		code = CloseMessageTooBig
	case errors.Is(err, wire.ErrUnsupportedFormat), errors.Is(err, wire.ErrUnknownEvent):
		code = CloseUnsupportedFormat
	case errors.Is(err, wire.ErrMalformedJSON), errors.Is(err, wire.ErrMissingField),
		errors.Is(err, wire.ErrBadField), errors.Is(err, wire.ErrBadPayload):
		code = CloseInvalidMessage
	default:
		return CloseInternalError, ReasonInternalError
	}
	return code, wsconn.ClipReason(err.Error())
}
