package wire

import (
	"encoding/json"
	"fmt"
)

// Encode returns m's JSON text as the platform writes it: its keys in the
// platform's order, counters and timestamps as strings of digits, the DTMF
// track as "inbound_track". It writes the platform's events and the
// server's mark and clear; a sequence number or stream SID left at zero is
// left out. It fails, with ErrUnknownEvent, only for an event it does not
// know.
func Encode(m Message) ([]byte, error) {
	var v any
	switch m.Event {
	case EventConnected:
		v = connectedOut{m.Event, m.Connected.Protocol, m.Connected.Version, m.SequenceNumber, m.StreamSID}
	case EventStart:
		s := m.Start
		v = startOut{m.Event, m.SequenceNumber, startBodyOut{s.AccountSID, s.StreamSID, s.CallSID, s.Tracks,
			s.CustomParameters, formatOut(s.MediaFormat)}, m.StreamSID}
	case EventMedia:
		md := m.Media
		v = mediaOut{m.Event, m.SequenceNumber, mediaBodyOut{md.Track, md.Chunk, md.TimestampMS, string(md.Payload)}, m.StreamSID}
	case EventDTMF:
		t := m.DTMF.Track
		if t == "" {
			t = TrackInbound
		}
		v = dtmfOut{m.Event, m.StreamSID, m.SequenceNumber, dtmfBodyOut{string(t) + "_track", m.DTMF.Digit}}
	case EventMark:
		v = markOut{m.Event, m.SequenceNumber, m.StreamSID, markBodyOut(m.Mark)}
	case EventStop:
		v = stopOut{m.Event, m.SequenceNumber, stopBodyOut(m.Stop), m.StreamSID}
	case EventClear:
		v = clearOut{m.Event, m.StreamSID}
	default:
		return nil, fmt.Errorf("%w: %q", ErrUnknownEvent, clip(string(m.Event)))
	}
	return json.Marshal(v)
}

// The JSON shapes Encode writes, one per event for the platform's key
// order.
type (
	connectedOut struct {
		Event          EventType `json:"event"`
		Protocol       string    `json:"protocol,omitempty"`
		Version        string    `json:"version,omitempty"`
		SequenceNumber int64     `json:"sequenceNumber,omitempty,string"`
		StreamSID      string    `json:"streamSid,omitempty"`
	}
	startOut struct {
		Event          EventType    `json:"event"`
		SequenceNumber int64        `json:"sequenceNumber,omitempty,string"`
		Start          startBodyOut `json:"start"`
		StreamSID      string       `json:"streamSid,omitempty"`
	}
	startBodyOut struct {
		AccountSID       string            `json:"accountSid"`
		StreamSID        string            `json:"streamSid"`
		CallSID          string            `json:"callSid"`
		Tracks           []Track           `json:"tracks"`
		CustomParameters map[string]string `json:"customParameters"`
		MediaFormat      formatOut         `json:"mediaFormat"`
	}
	formatOut struct {
		Encoding   string `json:"encoding"`
		SampleRate int    `json:"sampleRate"`
		Channels   int    `json:"channels"`
	}
	mediaOut struct {
		Event          EventType    `json:"event"`
		SequenceNumber int64        `json:"sequenceNumber,omitempty,string"`
		Media          mediaBodyOut `json:"media"`
		StreamSID      string       `json:"streamSid,omitempty"`
	}
	mediaBodyOut struct {
		Track       Track  `json:"track"`
		Chunk       int64  `json:"chunk,omitempty,string"`
		TimestampMS int64  `json:"timestamp,string"`
		Payload     string `json:"payload"`
	}
	dtmfOut struct {
		Event          EventType   `json:"event"`
		StreamSID      string      `json:"streamSid,omitempty"`
		SequenceNumber int64       `json:"sequenceNumber,omitempty,string"`
		DTMF           dtmfBodyOut `json:"dtmf"`
	}
	dtmfBodyOut struct {
		Track string `json:"track"`
		Digit string `json:"digit"`
	}
	markOut struct {
		Event          EventType   `json:"event"`
		SequenceNumber int64       `json:"sequenceNumber,omitempty,string"`
		StreamSID      string      `json:"streamSid,omitempty"`
		Mark           markBodyOut `json:"mark"`
	}
	markBodyOut struct {
		Name string `json:"name"`
	}
	stopOut struct {
		Event          EventType   `json:"event"`
		SequenceNumber int64       `json:"sequenceNumber,omitempty,string"`
		Stop           stopBodyOut `json:"stop"`
		StreamSID      string      `json:"streamSid,omitempty"`
	}
	stopBodyOut struct {
		AccountSID string `json:"accountSid,omitempty"`
		CallSID    string `json:"callSid,omitempty"`
	}
	clearOut struct {
		Event     EventType `json:"event"`
		StreamSID string    `json:"streamSid"`
	}
)
