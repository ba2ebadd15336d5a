package wire

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
)

// start checks a start message: the call, the stream (its SID may come
// inside start, at the top level or both), the tracks, the format and the
// custom parameters.
func (p *Parser) start(b *startIn, m *Message) error {
	if b.CallSID == "" {
		return missing("start.callSid")
	}
	s := Start{AccountSID: b.AccountSID, StreamSID: b.StreamSID, CallSID: b.CallSID}
	// The SID is sent both inside start and at the top level; either one
	// identifies the stream, but two different ones cannot both be right.
	switch {
	case s.StreamSID == "" && m.StreamSID == "":
		return missing("start.streamSid")
	case s.StreamSID == "":
		s.StreamSID = m.StreamSID
	case m.StreamSID == "":
		m.StreamSID = p.sid(s.StreamSID)
	case s.StreamSID != m.StreamSID:
		return fmt.Errorf("%w: start.streamSid %q differs from streamSid %q", ErrBadField, clip(s.StreamSID), clip(m.StreamSID))
	}
	for _, name := range b.Tracks {
		t, err := track("start.tracks[]", name, false)
		if err != nil {
			return err
		}
		if !slices.Contains(s.Tracks, t) {
			s.Tracks = append(s.Tracks, t)
		}
	}
	var err error
	if s.MediaFormat, err = format(&b.MediaFormat); err != nil {
		return err
	}
	s.CustomParameters = parameters(b.CustomParameters)
	m.Start = s
	return nil
}

func format(b *formatIn) (MediaFormat, error) {
	// Rates must fit an int on every platform, so that a huge value cannot
	// wrap around to an accepted one.
	for _, f := range []struct {
		name string
		n    int64
	}{{"sampleRate", b.SampleRate.n}, {"channels", b.Channels.n}} {
		if f.n > math.MaxInt32 {
			return MediaFormat{}, fmt.Errorf("%w: start.mediaFormat.%s is %d, want an integer below 2^31", ErrBadField, f.name, f.n)
		}
	}
	return MediaFormat{Encoding: b.Encoding, SampleRate: int(b.SampleRate.n), Channels: int(b.Channels.n)}, nil
}

// parameters turns the raw values into strings: a JSON string's value, ""
// for null, and the JSON text of anything else.
func parameters(raw map[string]json.RawMessage) map[string]string {
	if raw == nil {
		return nil
	}
	params := make(map[string]string, len(raw))
	for k, v := range raw {
		switch kindOf(v) {
		case "string":
			var s string
			if err := json.Unmarshal(v, &s); err != nil {
				s = string(v) // encoding/json read it already; keep it raw if not
			}
			params[k] = s
		case "null":
			params[k] = ""
		default:
			params[k] = string(v)
		}
	}
	return params
}
