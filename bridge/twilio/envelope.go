package twilio

import "fmt"

// envelope gathers, in one pass over a message, the token of every key the
// protocol defines. Keys may come in any order and the event is not known
// until its key is read, so every body is gathered and build keeps the one
// the event names. A key that appears twice keeps its last value, as with
// encoding/json.
type envelope struct {
	event          token
	sequenceNumber token
	streamSID      token
	protocol       token
	version        token
	start          startBody
	media          mediaBody
	dtmf           dtmfBody
	mark           markBody
	stop           stopBody
}

// read walks data, which must be exactly one JSON object.
func (e *envelope) read(data []byte) error {
	r := &reader{data: data}
	r.skipSpace()
	if r.pos >= len(data) || data[r.pos] != '{' {
		return r.syntaxError("want a JSON object")
	}
	if err := r.object(func(key token) error { return e.member(r, key) }); err != nil {
		return err
	}
	r.skipSpace()
	if r.pos != len(data) {
		return r.syntaxError("data after the object")
	}
	return nil
}

func (e *envelope) member(r *reader, key token) (err error) {
	switch string(keyBytes(key)) {
	case "event":
		e.event, err = r.value()
	case "sequenceNumber":
		e.sequenceNumber, err = r.value()
	case "streamSid":
		e.streamSID, err = r.value()
	case "protocol":
		e.protocol, err = r.value()
	case "version":
		e.version, err = r.value()
	case "start":
		e.start = startBody{}
		err = readBody(r, &e.start.self, func(k token) error { return e.start.member(r, k) })
	case "media":
		e.media = mediaBody{}
		err = readBody(r, &e.media.self, func(k token) error { return e.media.member(r, k) })
	case "dtmf":
		e.dtmf = dtmfBody{}
		err = readBody(r, &e.dtmf.self, func(k token) error { return e.dtmf.member(r, k) })
	case "mark":
		e.mark = markBody{}
		err = readBody(r, &e.mark.self, func(k token) error { return e.mark.member(r, k) })
	case "stop":
		e.stop = stopBody{}
		err = readBody(r, &e.stop.self, func(k token) error { return e.stop.member(r, k) })
	default:
		_, err = r.value()
	}
	return err
}

// readBody reads the value of a body key: an object is read member by
// member; any other value is kept whole so that build can report its type.
func readBody(r *reader, self *token, member func(key token) error) error {
	r.skipSpace()
	start := r.pos
	if r.pos < len(r.data) && r.data[r.pos] == '{' {
		if err := r.object(member); err != nil {
			return err
		}
		*self = token{kind: kindObject, raw: r.data[start:r.pos]}
		return nil
	}
	t, err := r.value()
	*self = t
	return err
}

// keyBytes returns a key's name; only a key spelled with escapes costs an
// allocation.
func keyBytes(key token) []byte {
	if key.escaped {
		return []byte(unquote(key))
	}
	return key.content()
}

// bodyOf checks that the body an event needs is a JSON object.
func bodyOf(field string, self token) error {
	switch self.kind {
	case kindObject:
		return nil
	case kindAbsent, kindNull:
		return missing(field)
	}
	return fmt.Errorf("%w: %s is a JSON %s, want an object", ErrBadField, field, self.kind)
}
