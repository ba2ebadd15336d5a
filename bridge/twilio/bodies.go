package twilio

// The message bodies as gathered by envelope. Each records its own value
// (self) and, when that value is an object, the tokens of the members the
// protocol defines; other members are validated and skipped.

type startBody struct {
	self             token
	accountSID       token
	streamSID        token
	callSID          token
	tracks           token
	customParameters token
	format           formatBody
}

func (b *startBody) member(r *reader, key token) (err error) {
	switch string(keyBytes(key)) {
	case "accountSid":
		b.accountSID, err = r.value()
	case "streamSid":
		b.streamSID, err = r.value()
	case "callSid":
		b.callSID, err = r.value()
	case "tracks":
		b.tracks, err = r.value()
	case "customParameters":
		b.customParameters, err = r.value()
	case "mediaFormat":
		b.format = formatBody{}
		err = readBody(r, &b.format.self, func(k token) error { return b.format.member(r, k) })
	default:
		_, err = r.value()
	}
	return err
}

type formatBody struct {
	self       token
	encoding   token
	sampleRate token
	channels   token
}

func (b *formatBody) member(r *reader, key token) (err error) {
	switch string(keyBytes(key)) {
	case "encoding":
		b.encoding, err = r.value()
	case "sampleRate":
		b.sampleRate, err = r.value()
	case "channels":
		b.channels, err = r.value()
	default:
		_, err = r.value()
	}
	return err
}

type mediaBody struct {
	self      token
	track     token
	chunk     token
	timestamp token
	payload   token
}

func (b *mediaBody) member(r *reader, key token) (err error) {
	switch string(keyBytes(key)) {
	case "track":
		b.track, err = r.value()
	case "chunk":
		b.chunk, err = r.value()
	case "timestamp":
		b.timestamp, err = r.value()
	case "payload":
		b.payload, err = r.value()
	default:
		_, err = r.value()
	}
	return err
}

type dtmfBody struct{ self, track, digit token }

func (b *dtmfBody) member(r *reader, key token) (err error) {
	switch string(keyBytes(key)) {
	case "track":
		b.track, err = r.value()
	case "digit":
		b.digit, err = r.value()
	default:
		_, err = r.value()
	}
	return err
}

type markBody struct{ self, name token }

func (b *markBody) member(r *reader, key token) (err error) {
	if string(keyBytes(key)) == "name" {
		b.name, err = r.value()
		return err
	}
	_, err = r.value()
	return err
}

type stopBody struct{ self, accountSID, callSID token }

func (b *stopBody) member(r *reader, key token) (err error) {
	switch string(keyBytes(key)) {
	case "accountSid":
		b.accountSID, err = r.value()
	case "callSid":
		b.callSID, err = r.value()
	default:
		_, err = r.value()
	}
	return err
}
