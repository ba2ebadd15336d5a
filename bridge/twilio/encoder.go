package twilio

import (
	"maps"
	"slices"
)

// StreamInfo describes the call a StreamEncoder plays.
type StreamInfo struct {
	AccountSID string // the account the call belongs to ("AC...")
	CallSID    string // the call ("CA...")
	StreamSID  string // the stream ("MZ...")
	// Tracks announced in start; nil announces the inbound track only, as
	// the platform does by default.
	Tracks []Track
	// MediaFormat announced in start; the zero value announces
	// MuLawFormat. It also sets how media timestamps advance.
	MediaFormat MediaFormat
	// CustomParameters announced in start.
	CustomParameters map[string]string
}

// StreamEncoder produces the messages the platform sends for one stream, in
// its JSON layout: sequence numbers from 1 on start, a chunk counter per
// track from 1, and media timestamps that follow the audio already sent on
// the track. It does not enforce message order, so that tests can also play
// broken streams. It is not safe for concurrent use.
type StreamEncoder struct {
	info     StreamInfo
	sequence int64
	tracks   map[Track]*trackCursor
}

// trackCursor follows one track: chunks sent and the position, in samples,
// where the next chunk starts.
type trackCursor struct {
	chunk      int64
	nextSample int64
}

// NewStreamEncoder returns an encoder for the stream info describes.
func NewStreamEncoder(info StreamInfo) *StreamEncoder {
	if info.MediaFormat == (MediaFormat{}) {
		info.MediaFormat = MuLawFormat()
	}
	if info.Tracks == nil {
		info.Tracks = []Track{TrackInbound}
	}
	return &StreamEncoder{info: info, tracks: make(map[Track]*trackCursor)}
}

// Connected returns the connected message that opens the stream.
func (e *StreamEncoder) Connected() []byte {
	var w jsonWriter
	w.begin()
	w.str("event", string(EventConnected))
	w.str("protocol", "Call")
	w.str("version", "1.0.0")
	w.end()
	return w.buf
}

// Start returns the start message.
func (e *StreamEncoder) Start() []byte {
	tracks := make([]string, len(e.info.Tracks))
	for i, t := range e.info.Tracks {
		tracks[i] = string(t)
	}
	var w jsonWriter
	w.begin()
	w.str("event", string(EventStart))
	w.counter("sequenceNumber", e.nextSequence())
	w.object("start")
	w.str("accountSid", e.info.AccountSID)
	w.str("streamSid", e.info.StreamSID)
	w.str("callSid", e.info.CallSID)
	w.strings("tracks", tracks)
	w.object("customParameters")
	for _, k := range slices.Sorted(maps.Keys(e.info.CustomParameters)) {
		w.str(k, e.info.CustomParameters[k])
	}
	w.end()
	w.object("mediaFormat")
	w.str("encoding", e.info.MediaFormat.Encoding)
	w.number("sampleRate", int64(e.info.MediaFormat.SampleRate))
	w.number("channels", int64(e.info.MediaFormat.Channels))
	w.end()
	w.end()
	w.str("streamSid", e.info.StreamSID)
	w.end()
	return w.buf
}

// Media returns the next media message of track, carrying audio (μ-law
// bytes, one per sample) stamped with the track's current position.
func (e *StreamEncoder) Media(track Track, audio []byte) []byte {
	return e.MediaAt(track, e.Position(track), audio)
}

// MediaAt returns a media message of track stamped timestampMS, and moves
// the track's position to the end of audio. Tests use it to play gaps,
// reordering and duplicates.
func (e *StreamEncoder) MediaAt(track Track, timestampMS int64, audio []byte) []byte {
	cur := e.cursor(track)
	cur.chunk++
	rate := int64(e.info.MediaFormat.SampleRate)
	cur.nextSample = timestampMS*rate/1000 + int64(len(audio))

	var w jsonWriter
	w.buf = make([]byte, 0, 160+len(e.info.StreamSID)+(len(audio)+2)/3*4)
	w.begin()
	w.str("event", string(EventMedia))
	w.counter("sequenceNumber", e.nextSequence())
	w.object("media")
	w.str("track", string(track))
	w.counter("chunk", cur.chunk)
	w.counter("timestamp", timestampMS)
	w.key("payload")
	w.buf = appendBase64String(w.buf, audio)
	w.end()
	w.str("streamSid", e.info.StreamSID)
	w.end()
	return w.buf
}

// Position returns, in milliseconds since the stream started, where the next
// chunk of track starts.
func (e *StreamEncoder) Position(track Track) int64 {
	rate := int64(e.info.MediaFormat.SampleRate)
	if rate <= 0 {
		return 0
	}
	return e.cursor(track).nextSample * 1000 / rate
}

// DTMF returns a dtmf message for digit, labelled with the inbound track as
// the platform labels key presses.
func (e *StreamEncoder) DTMF(digit string) []byte {
	var w jsonWriter
	w.begin()
	w.str("event", string(EventDTMF))
	w.str("streamSid", e.info.StreamSID)
	w.counter("sequenceNumber", e.nextSequence())
	w.object("dtmf")
	w.str("track", "inbound_track")
	w.str("digit", digit)
	w.end()
	w.end()
	return w.buf
}

// Mark returns the mark message the platform sends back when a mark the
// server sent has been reached.
func (e *StreamEncoder) Mark(name string) []byte {
	var w jsonWriter
	w.begin()
	w.str("event", string(EventMark))
	w.counter("sequenceNumber", e.nextSequence())
	w.str("streamSid", e.info.StreamSID)
	w.object("mark")
	w.str("name", name)
	w.end()
	w.end()
	return w.buf
}

// Stop returns the stop message that ends the stream.
func (e *StreamEncoder) Stop() []byte {
	var w jsonWriter
	w.begin()
	w.str("event", string(EventStop))
	w.counter("sequenceNumber", e.nextSequence())
	w.object("stop")
	w.str("accountSid", e.info.AccountSID)
	w.str("callSid", e.info.CallSID)
	w.end()
	w.str("streamSid", e.info.StreamSID)
	w.end()
	return w.buf
}

func (e *StreamEncoder) nextSequence() int64 {
	e.sequence++
	return e.sequence
}

func (e *StreamEncoder) cursor(track Track) *trackCursor {
	cur, ok := e.tracks[track]
	if !ok {
		cur = &trackCursor{}
		e.tracks[track] = cur
	}
	return cur
}
