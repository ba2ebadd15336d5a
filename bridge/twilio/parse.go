package twilio

import "fmt"

// MaxMessageBytes is the largest message ParseMessage accepts. A 20 ms media
// message is about 400 bytes and a start message with custom parameters a few
// kilobytes; the limit leaves room for large chunks while bounding what a peer
// can make the server buffer. Sessions should also pass it to
// (*websocket.Conn).SetReadLimit so that bigger frames are refused (close code
// 1009) before they are read.
const MaxMessageBytes = 64 << 10

// ParseMessage decodes one text message of a Media Streams WebSocket. Errors
// wrap one of the package's sentinel errors with the offending field. See
// Parser for the allocation-free form to use on a connection.
func ParseMessage(data []byte) (Message, error) {
	var p Parser
	return p.Parse(data)
}

// Parser decodes the messages of one stream. It remembers the stream SID it
// last returned so that the SID of each following message reuses that string
// instead of allocating a copy; with that, parsing a media message does not
// allocate. The zero value is ready to use. A Parser is not safe for
// concurrent use.
type Parser struct {
	streamSID string
}

// Parse decodes one message, walking its bytes once. Media.Payload of the
// result aliases data (see Media).
func (p *Parser) Parse(data []byte) (Message, error) {
	if len(data) > MaxMessageBytes {
		return Message{}, fmt.Errorf("%w: %d bytes, limit %d", ErrOversized, len(data), MaxMessageBytes)
	}
	var env envelope
	if err := env.read(data); err != nil {
		return Message{}, err
	}
	return p.build(&env)
}

// build turns the gathered tokens into the typed message of env's event.
func (p *Parser) build(env *envelope) (Message, error) {
	if env.event.kind == kindAbsent || env.event.kind == kindNull {
		return Message{}, fmt.Errorf("%w: event", ErrMissingField)
	}
	if env.event.kind != kindString {
		return Message{}, badKind("event", env.event, kindString)
	}
	var m Message
	m.Event = eventType(env.event)
	var err error
	if m.SequenceNumber, _, err = intField("sequenceNumber", env.sequenceNumber); err != nil {
		return Message{}, err
	}
	if m.StreamSID, err = p.sidField(env.streamSID); err != nil {
		return Message{}, err
	}
	switch m.Event {
	case EventConnected:
		err = buildConnected(env, &m)
	case EventStart:
		err = p.buildStart(env, &m)
	case EventMedia:
		err = buildMedia(env, &m)
	case EventDTMF:
		err = buildDTMF(env, &m)
	case EventMark:
		err = buildMark(env, &m)
	case EventStop:
		err = buildStop(env, &m)
	default:
		return Message{}, fmt.Errorf("%w: %q", ErrUnknownEvent, unquote(env.event))
	}
	if err != nil {
		return Message{}, err
	}
	return m, nil
}

// eventType maps the event name to its constant without allocating; an
// unknown name maps to the empty EventType.
func eventType(t token) EventType {
	name := t.content()
	if t.escaped {
		name = []byte(unquote(t))
	}
	switch string(name) {
	case string(EventConnected):
		return EventConnected
	case string(EventStart):
		return EventStart
	case string(EventMedia):
		return EventMedia
	case string(EventDTMF):
		return EventDTMF
	case string(EventMark):
		return EventMark
	case string(EventStop):
		return EventStop
	}
	return ""
}

// sidField returns a stream SID, reusing the one remembered from the last
// message when the bytes match.
func (p *Parser) sidField(t token) (string, error) {
	if t.kind == kindAbsent || t.kind == kindNull {
		return "", nil
	}
	if t.kind != kindString {
		return "", badKind("streamSid", t, kindString)
	}
	if !t.escaped && string(t.content()) == p.streamSID {
		return p.streamSID, nil
	}
	p.streamSID = unquote(t)
	return p.streamSID, nil
}
