package wire

// EventType is the value of a message's "event" key: which kind of message it
// is and therefore which body of Message is filled in.
type EventType string

// Events a platform sends to the server.
const (
	// EventConnected opens every stream; it carries only the protocol name
	// and version.
	EventConnected EventType = "connected"
	// EventStart follows connected once and describes the call and the
	// audio format of the media to come.
	EventStart EventType = "start"
	// EventMedia carries one chunk of audio of one track.
	EventMedia EventType = "media"
	// EventDTMF reports one key pressed on the phone.
	EventDTMF EventType = "dtmf"
	// EventMark echoes a mark the server sent, once the audio queued before
	// it has played (bidirectional streams only).
	EventMark EventType = "mark"
	// EventStop ends the stream.
	EventStop EventType = "stop"
)

// EventClear is sent by the server only: it asks the platform to drop audio
// queued for playback. Encode writes it; ParseMessage reports it as
// ErrUnknownEvent.
const EventClear EventType = "clear"

// Track names one direction of the call's audio.
type Track string

// Tracks of a call. The platform labels DTMF with "inbound_track"; the parser
// folds that spelling into TrackInbound so that callers see one name per
// direction.
const (
	// TrackInbound is the audio coming from the phone network into the
	// platform: on an inbound call, the caller.
	TrackInbound Track = "inbound"
	// TrackOutbound is the audio the platform sends towards the phone
	// network: on an inbound call, the agent or the bot.
	TrackOutbound Track = "outbound"
)

// Message is one Media Streams message, parsed or to encode. Event says
// which of the body fields is meaningful; the others are left at their zero
// value.
type Message struct {
	// Event is the kind of message, and says which body below is set.
	Event EventType
	// SequenceNumber orders the messages of a stream: 1 on start, then one
	// more per message. It is zero on connected, which carries none.
	SequenceNumber int64
	// StreamSID identifies the stream. It is set for every event but
	// connected; for start it equals Start.StreamSID.
	StreamSID string

	Connected Connected // set when Event is EventConnected
	Start     Start     // set when Event is EventStart
	Media     Media     // set when Event is EventMedia
	DTMF      DTMF      // set when Event is EventDTMF
	Mark      Mark      // set when Event is EventMark
	Stop      Stop      // set when Event is EventStop
}

// Connected is the body of a connected message.
type Connected struct {
	Protocol string // "Call" for a phone call
	Version  string // semantic version of the protocol, e.g. "1.0.0"
}

// Start is the body of a start message: who the call is and what the audio
// will look like.
type Start struct {
	AccountSID string // the account the call belongs to ("AC...")
	StreamSID  string // the stream ("MZ...")
	CallSID    string // the call ("CA...")
	// Tracks lists the tracks whose media will follow.
	Tracks []Track
	// MediaFormat is the audio format of the media to follow; check it
	// with Validate before decoding any.
	MediaFormat MediaFormat
	// CustomParameters are the name/value pairs the call's owner attached
	// to the stream. A value that was not a JSON string is kept as its JSON
	// text.
	CustomParameters map[string]string
}

// Media is the body of a media message: one chunk of one track.
type Media struct {
	// Track is the direction the audio travels.
	Track Track
	// Chunk counts the media messages of the track from 1. It is zero when
	// the platform did not send it.
	Chunk int64
	// TimestampMS is the position of the chunk's first sample, in
	// milliseconds since the stream started (the call clock). It places the
	// audio; arrival order does not.
	TimestampMS int64
	// Payload is the audio as the base64 text the platform sent, already
	// checked to be valid base64. From a Parser it aliases the parser's
	// buffer and is only valid until its next Parse: decode it with
	// AppendPayload first.
	Payload []byte
}

// DTMF is the body of a dtmf message.
type DTMF struct {
	// Track is the direction the key press came from: inbound.
	Track Track
	// Digit is the key: one of 0-9, *, # or A-D.
	Digit string
}

// Mark is the body of a mark message.
type Mark struct {
	// Name is the label the server gave the mark when it sent it.
	Name string
}

// Stop is the body of a stop message.
type Stop struct {
	AccountSID string // as in Start; empty if not sent
	CallSID    string // as in Start; empty if not sent
}
