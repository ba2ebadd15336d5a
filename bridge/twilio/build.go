package twilio

import (
	"fmt"
	"math"
	"slices"
)

// The build functions turn an envelope's tokens into the body of the event it
// names, checking the fields that event cannot do without.

func buildConnected(env *envelope, m *Message) (err error) {
	if m.Connected.Protocol, err = stringField("protocol", env.protocol); err != nil {
		return err
	}
	m.Connected.Version, err = stringField("version", env.version)
	return err
}

func (p *Parser) buildStart(env *envelope, m *Message) (err error) {
	b := &env.start
	if err := bodyOf("start", b.self); err != nil {
		return err
	}
	s := &m.Start
	if s.AccountSID, err = stringField("start.accountSid", b.accountSID); err != nil {
		return err
	}
	if s.CallSID, err = requiredString("start.callSid", b.callSID); err != nil {
		return err
	}
	if s.StreamSID, err = stringField("start.streamSid", b.streamSID); err != nil {
		return err
	}
	// The SID is sent both inside start and at the top level; either one
	// identifies the stream, but two different ones cannot both be right.
	switch {
	case s.StreamSID == "" && m.StreamSID == "":
		return missing("start.streamSid")
	case s.StreamSID == "":
		s.StreamSID = m.StreamSID
	case m.StreamSID == "":
		m.StreamSID = s.StreamSID
	case s.StreamSID != m.StreamSID:
		return fmt.Errorf("%w: start.streamSid %q differs from streamSid %q", ErrBadField, s.StreamSID, m.StreamSID)
	}
	p.streamSID = m.StreamSID
	if s.Tracks, err = tracksField(b.tracks); err != nil {
		return err
	}
	if s.MediaFormat, err = formatField(&b.format); err != nil {
		return err
	}
	s.CustomParameters, err = parametersField(b.customParameters)
	return err
}

func tracksField(t token) ([]Track, error) {
	switch t.kind {
	case kindAbsent, kindNull:
		return nil, nil
	case kindArray:
	default:
		return nil, badKind("start.tracks", t, kindArray)
	}
	var tracks []Track
	r := &reader{data: t.raw}
	err := r.array(func() error {
		v, err := r.value()
		if err != nil {
			return err
		}
		if v.kind != kindString {
			return badKind("start.tracks[]", v, kindString)
		}
		track, err := trackField("start.tracks[]", v)
		if err == nil && !slices.Contains(tracks, track) {
			tracks = append(tracks, track)
		}
		return err
	})
	return tracks, err
}

func formatField(b *formatBody) (f MediaFormat, err error) {
	switch b.self.kind {
	case kindAbsent, kindNull:
		return MediaFormat{}, nil
	case kindObject:
	default:
		return MediaFormat{}, badKind("start.mediaFormat", b.self, kindObject)
	}
	if f.Encoding, err = stringField("start.mediaFormat.encoding", b.encoding); err != nil {
		return f, err
	}
	if f.SampleRate, err = smallIntField("start.mediaFormat.sampleRate", b.sampleRate); err != nil {
		return f, err
	}
	f.Channels, err = smallIntField("start.mediaFormat.channels", b.channels)
	return f, err
}

// smallIntField parses an integer that must fit an int on every platform, so
// that a huge value cannot wrap around to an accepted one.
func smallIntField(field string, t token) (int, error) {
	n, _, err := intField(field, t)
	if err == nil && n > math.MaxInt32 {
		err = badValue(field, t, "an integer below 2^31")
	}
	return int(n), err
}

func parametersField(t token) (map[string]string, error) {
	switch t.kind {
	case kindAbsent, kindNull:
		return nil, nil
	case kindObject:
	default:
		return nil, badKind("start.customParameters", t, kindObject)
	}
	params := make(map[string]string)
	r := &reader{data: t.raw}
	err := r.object(func(key token) error {
		v, err := r.value()
		switch v.kind {
		case kindString:
			params[unquote(key)] = unquote(v)
		case kindNull:
			params[unquote(key)] = ""
		default:
			params[unquote(key)] = string(v.raw)
		}
		return err
	})
	return params, err
}

func buildMedia(env *envelope, m *Message) (err error) {
	b := &env.media
	if err := bodyOf("media", b.self); err != nil {
		return err
	}
	md := &m.Media
	if md.Track, err = trackField("media.track", b.track); err != nil {
		return err
	}
	if md.Chunk, _, err = intField("media.chunk", b.chunk); err != nil {
		return err
	}
	var present bool
	if md.TimestampMS, present, err = intField("media.timestamp", b.timestamp); err != nil {
		return err
	}
	if !present {
		return missing("media.timestamp")
	}
	md.Payload, err = payloadField(b.payload)
	return err
}

func buildDTMF(env *envelope, m *Message) (err error) {
	b := &env.dtmf
	if err := bodyOf("dtmf", b.self); err != nil {
		return err
	}
	if m.DTMF.Track, err = trackField("dtmf.track", b.track); err != nil {
		return err
	}
	m.DTMF.Digit, err = digitField("dtmf.digit", b.digit)
	return err
}

func buildMark(env *envelope, m *Message) (err error) {
	if err := bodyOf("mark", env.mark.self); err != nil {
		return err
	}
	m.Mark.Name, err = requiredString("mark.name", env.mark.name)
	return err
}

// buildStop accepts a stop without its body: the message alone ends the
// stream, and the SIDs it repeats are already known from start.
func buildStop(env *envelope, m *Message) (err error) {
	b := &env.stop
	switch b.self.kind {
	case kindAbsent, kindNull:
		return nil
	case kindObject:
	default:
		return badKind("stop", b.self, kindObject)
	}
	if m.Stop.AccountSID, err = stringField("stop.accountSid", b.accountSID); err != nil {
		return err
	}
	m.Stop.CallSID, err = stringField("stop.callSid", b.callSID)
	return err
}
