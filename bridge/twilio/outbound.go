package twilio

import (
	"encoding/json"
	"fmt"
)

// Messages the server may send to the platform over the same WebSocket.

// EncodeMark returns a mark message. On a bidirectional stream the platform
// echoes it back (EventMark) once the audio sent before it has played, which
// lets the server tell when playback reached a point.
func EncodeMark(streamSID, name string) []byte {
	var w jsonWriter
	w.begin()
	w.str("event", string(EventMark))
	w.str("streamSid", streamSID)
	w.object("mark")
	w.str("name", name)
	w.end()
	w.end()
	return w.buf
}

// EncodeClear returns a clear message, which asks the platform to drop the
// audio it has queued for playback and to echo the pending marks.
func EncodeClear(streamSID string) []byte {
	var w jsonWriter
	w.begin()
	w.str("event", string(EventClear))
	w.str("streamSid", streamSID)
	w.end()
	return w.buf
}

// EncodeTranscript returns the JSON of v, the transcript event callscribe
// pushes back over the stream. The platform ignores events it does not know;
// a client of callscribe's own reads them. The transport does not shape the
// event: that is the caller's.
func EncodeTranscript(v any) ([]byte, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("twilio: encode transcript: %w", err)
	}
	return data, nil
}
