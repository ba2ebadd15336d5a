package twiliotest

import (
	"fmt"

	"github.com/callscribe/callscribe/bridge/twilio/wire"
)

// StreamInfo describes the call a StreamEncoder plays.
type StreamInfo struct {
	AccountSID string // the account the call belongs to ("AC...")
	CallSID    string // the call ("CA...")
	StreamSID  string // the stream ("MZ...")
	// Tracks announced in start; nil announces the inbound track only, as
	// the platform does by default.
	Tracks []wire.Track
	// MediaFormat announced in start; the zero value announces
	// wire.MuLawFormat. It also sets how media timestamps advance.
	MediaFormat wire.MediaFormat
	// CustomParameters announced in start.
	CustomParameters map[string]string
	// AuthToken, when set, is the account auth token Dial signs the
	// upgrade with.
	AuthToken string
}

// StreamEncoder produces the messages the platform sends for one stream, in
// its JSON layout: sequence numbers from 1 on start, a chunk counter per
// track from 1, and media timestamps that follow the audio already sent on
// the track. It does not enforce message order, so that tests can also play
// broken streams. It is not safe for concurrent use.
type StreamEncoder struct {
	info     StreamInfo
	sequence int64
	tracks   map[wire.Track]*trackCursor
}

// trackCursor follows one track: chunks sent and the position, in samples,
// where the next chunk starts.
type trackCursor struct {
	chunk      int64
	nextSample int64
}

// NewStreamEncoder returns an encoder for the stream info describes.
func NewStreamEncoder(info StreamInfo) *StreamEncoder {
	if info.MediaFormat == (wire.MediaFormat{}) {
		info.MediaFormat = wire.MuLawFormat()
	}
	if info.Tracks == nil {
		info.Tracks = []wire.Track{wire.TrackInbound}
	}
	if info.CustomParameters == nil {
		info.CustomParameters = map[string]string{} // the platform always sends the object
	}
	return &StreamEncoder{info: info, tracks: make(map[wire.Track]*trackCursor)}
}

// Connected returns the connected message that opens the stream.
func (e *StreamEncoder) Connected() []byte {
	return encode(wire.Message{Event: wire.EventConnected, Connected: wire.Connected{Protocol: "Call", Version: "1.0.0"}})
}

// Start returns the start message.
func (e *StreamEncoder) Start() []byte {
	return encode(wire.Message{Event: wire.EventStart, SequenceNumber: e.nextSequence(), StreamSID: e.info.StreamSID,
		Start: wire.Start{AccountSID: e.info.AccountSID, StreamSID: e.info.StreamSID, CallSID: e.info.CallSID,
			Tracks: e.info.Tracks, MediaFormat: e.info.MediaFormat, CustomParameters: e.info.CustomParameters}})
}

// Media returns the next media message of track, carrying audio (μ-law
// bytes, one per sample) stamped with the track's current position.
func (e *StreamEncoder) Media(track wire.Track, audio []byte) []byte {
	return e.MediaAt(track, e.Position(track), audio)
}

// MediaAt returns a media message of track stamped timestampMS, and moves
// the track's position to the end of audio. Tests use it to play gaps,
// reordering and duplicates.
func (e *StreamEncoder) MediaAt(track wire.Track, timestampMS int64, audio []byte) []byte {
	cur := e.cursor(track)
	cur.chunk++
	rate := int64(e.info.MediaFormat.SampleRate)
	cur.nextSample = timestampMS*rate/1000 + int64(len(audio))
	return encode(wire.Message{Event: wire.EventMedia, SequenceNumber: e.nextSequence(), StreamSID: e.info.StreamSID,
		Media: wire.Media{Track: track, Chunk: cur.chunk, TimestampMS: timestampMS, Payload: wire.EncodePayload(audio)}})
}

// Position returns, in milliseconds since the stream started, where the next
// chunk of track starts.
func (e *StreamEncoder) Position(track wire.Track) int64 {
	rate := int64(e.info.MediaFormat.SampleRate)
	if rate <= 0 {
		return 0
	}
	return e.cursor(track).nextSample * 1000 / rate
}

// DTMF returns a dtmf message for digit, labelled with the inbound track as
// the platform labels key presses.
func (e *StreamEncoder) DTMF(digit string) []byte {
	return encode(wire.Message{Event: wire.EventDTMF, SequenceNumber: e.nextSequence(), StreamSID: e.info.StreamSID,
		DTMF: wire.DTMF{Track: wire.TrackInbound, Digit: digit}})
}

// Mark returns the mark message the platform sends back when a mark the
// server sent has been reached.
func (e *StreamEncoder) Mark(name string) []byte {
	return encode(wire.Message{Event: wire.EventMark, SequenceNumber: e.nextSequence(), StreamSID: e.info.StreamSID,
		Mark: wire.Mark{Name: name}})
}

// Stop returns the stop message that ends the stream.
func (e *StreamEncoder) Stop() []byte {
	return encode(wire.Message{Event: wire.EventStop, SequenceNumber: e.nextSequence(), StreamSID: e.info.StreamSID,
		Stop: wire.Stop{AccountSID: e.info.AccountSID, CallSID: e.info.CallSID}})
}

func (e *StreamEncoder) nextSequence() int64 {
	e.sequence++
	return e.sequence
}

func (e *StreamEncoder) cursor(track wire.Track) *trackCursor {
	cur, ok := e.tracks[track]
	if !ok {
		cur = &trackCursor{}
		e.tracks[track] = cur
	}
	return cur
}

// encode writes a message of an event wire.Encode knows, which is every
// event the encoder sends: an error is a bug here.
func encode(m wire.Message) []byte {
	data, err := wire.Encode(m)
	if err != nil {
		panic(fmt.Sprintf("twiliotest: %v", err))
	}
	return data
}
