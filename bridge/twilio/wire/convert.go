package wire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// message checks the envelope's fields for the event it names and returns
// the typed message. Only the event's own body is looked at.
func (p *Parser) message(env *envelope) (Message, error) {
	if env.Event == "" {
		return Message{}, missing("event")
	}
	m := Message{Event: env.Event, SequenceNumber: env.SequenceNumber.n, StreamSID: p.sid(env.StreamSID)}
	var err error
	switch m.Event {
	case EventConnected:
		m.Connected = Connected{Protocol: env.Protocol, Version: env.Version}
	case EventStart:
		err = p.start(&env.Start, &m)
	case EventMedia:
		m.Media, err = media(&env.Media)
	case EventDTMF:
		m.DTMF, err = dtmf(&env.DTMF)
	case EventMark:
		m.Mark.Name = env.Mark.Name
		if m.Mark.Name == "" {
			err = missing("mark.name")
		}
	case EventStop:
		m.Stop = Stop{AccountSID: env.Stop.AccountSID, CallSID: env.Stop.CallSID}
	default:
		return Message{}, fmt.Errorf("%w: %q", ErrUnknownEvent, clip(string(m.Event)))
	}
	if err != nil {
		return Message{}, err
	}
	return m, nil
}

func missing(field string) error { return fmt.Errorf("%w: %s", ErrMissingField, field) }

func badValue(field, value, want string) error {
	return fmt.Errorf("%w: %s is %q, want %s", ErrBadField, field, clip(value), want)
}

// clip shortens a value quoted in an error, so that a hostile message
// cannot make error strings (and logs) large.
func clip(s string) string {
	const limit = 40
	if len(s) <= limit {
		return s
	}
	return s[:limit] + "..."
}

// sid returns the stream SID, as the string remembered from the last
// message when they are equal.
func (p *Parser) sid(s string) string {
	if s != p.streamSID {
		p.streamSID = s
	}
	return p.streamSID
}

func media(b *mediaIn) (Media, error) {
	t, err := track("media.track", b.Track, true)
	if err != nil {
		return Media{}, err
	}
	if !b.Timestamp.set {
		return Media{}, missing("media.timestamp")
	}
	payload, err := payloadText(b.Payload)
	if err != nil {
		return Media{}, err
	}
	return Media{Track: t, Chunk: b.Chunk.n, TimestampMS: b.Timestamp.n, Payload: payload}, nil
}

// payloadText returns the checked base64 text of a raw payload value; it
// aliases raw unless the JSON string held escapes.
func payloadText(raw json.RawMessage) ([]byte, error) {
	switch kind := kindOf(raw); kind {
	case "absent value", "null":
		return nil, missing("media.payload")
	case "string":
	default:
		return nil, fmt.Errorf("%w: media.payload is a JSON %s, want a string", ErrBadField, kind)
	}
	text := raw[1 : len(raw)-1]
	if bytes.IndexByte(text, '\\') >= 0 {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, fmt.Errorf("%w: media.payload: %w", ErrBadPayload, err)
		}
		text = []byte(s)
	}
	if err := checkBase64(text); err != nil {
		return nil, err
	}
	return text, nil
}

// dtmfKeys lists the keys of a telephone keypad, including the A-D column
// some handsets have.
const dtmfKeys = "0123456789*#ABCD"

func dtmf(b *dtmfIn) (DTMF, error) {
	t, err := track("dtmf.track", b.Track, true)
	if err != nil {
		return DTMF{}, err
	}
	switch {
	case b.Digit == "":
		return DTMF{}, missing("dtmf.digit")
	case len(b.Digit) != 1 || !strings.Contains(dtmfKeys, b.Digit):
		return DTMF{}, badValue("dtmf.digit", b.Digit, "one of "+dtmfKeys)
	}
	return DTMF{Track: t, Digit: b.Digit}, nil
}

// track folds a track name into its Track: the "_track" spelling used on
// DTMF into the plain one. An absent track (absentOK) is inbound: that is
// the only track a stream carries unless it asks for more.
func track(field, name string, absentOK bool) (Track, error) {
	switch name {
	case "inbound", "inbound_track":
		return TrackInbound, nil
	case "outbound", "outbound_track":
		return TrackOutbound, nil
	case "":
		if absentOK {
			return TrackInbound, nil
		}
	}
	return "", badValue(field, name, `"inbound" or "outbound"`)
}
