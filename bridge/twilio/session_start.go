package twilio

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/callscribe/callscribe/bridge"
)

// Custom parameters a stream may set in its TwiML <Parameter> elements.
const (
	// ParamTranscripts "false" stops transcript events on this socket
	// (they still reach subscribers and webhooks). Default on.
	ParamTranscripts = "transcripts"
	// ParamPartials "false" leaves partials out of this socket's events
	// and stops partial decoding for the call's tracks. Default on.
	ParamPartials = "partials"
	// ParamLanguage sets the decode language ("auto" to detect).
	ParamLanguage = "language"
)

func (s *session) start(ctx context.Context, st Start) error {
	if s.stream != nil {
		return &closeError{CloseOutOfOrder, ReasonDuplicateStart, errors.New("second start")}
	}
	if err := st.MediaFormat.Validate(); err != nil {
		return &closeError{CloseUnsupportedFormat, "unsupported media format", err}
	}
	tracks := st.Tracks
	if len(tracks) == 0 {
		tracks = []Track{TrackInbound}
	}
	names := make([]string, len(tracks))
	for i, t := range tracks {
		names[i] = string(t)
	}
	stream, err := s.srv.calls.Start(ctx, bridge.StreamStart{
		Key: st.CallSID, StreamID: st.StreamSID, Source: "twilio", AccountSID: st.AccountSID,
		Tracks: names, CustomParameters: st.CustomParameters,
	})
	if err != nil {
		return &closeError{CloseOverloaded, ReasonOverloaded, err}
	}
	s.stream = stream
	s.log = s.log.With("call_id", stream.CallID(), "stream_id", st.StreamSID, "call_sid", st.CallSID)
	s.writer.SetLogger(s.log)
	params := st.CustomParameters
	partials := !isFalse(params[ParamPartials])
	if !isFalse(params[ParamTranscripts]) {
		sub, err := stream.Subscribe(partials)
		if err != nil {
			return &closeError{CloseInternalError, ReasonInternalError, err}
		}
		s.writer.Follow(sub)
	}
	for _, t := range tracks {
		info := bridge.TrackInfo{CallID: stream.CallID(), StreamID: st.StreamSID, Track: string(t),
			Offset: stream.Offset(), Language: params[ParamLanguage], Partials: partials}
		sink, err := s.srv.tx.OpenTrack(ctx, info, stream.Emit)
		if err != nil {
			return &closeError{CloseOverloaded, ReasonOverloaded, fmt.Errorf("track %s: %w", t, err)}
		}
		path, err := newTrackPath(sink, s.srv.cfg.Jitter)
		if err != nil {
			return &closeError{CloseInternalError, ReasonInternalError, err}
		}
		s.tracks[t] = path
	}
	s.log.Info("stream started", "tracks", names, "offset", stream.Offset())
	return nil
}

func isFalse(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "false", "0", "no", "off":
		return true
	}
	return false
}

func (s *session) media(m Media) error {
	if s.stream == nil {
		return &closeError{CloseOutOfOrder, ReasonMediaBeforeStart, errors.New("media before start")}
	}
	path, ok := s.tracks[m.Track]
	if !ok {
		s.srv.Stats.IgnoredMedia.Add(1)
		return nil
	}
	var err error
	if s.payload, err = m.AppendPayload(s.payload[:0]); err != nil {
		return s.badMessage(err)
	}
	position := time.Duration(m.TimestampMS) * time.Millisecond
	if err := s.guard.Observe(s.srv.now(), position); err != nil {
		return &closeError{CloseTooFast, ReasonTooFast, err}
	}
	if err := path.push(m.TimestampMS, s.payload, &s.srv.Stats); err != nil {
		return &closeError{CloseOverloaded, ReasonOverloaded, err}
	}
	s.stream.AdvanceMedia((position + time.Duration(len(s.payload))*time.Second/8000).Seconds())
	return nil
}

// finish ends every track (their last utterances become finals) and tells
// the hub the stream ended. It runs whatever ended the stream: stop, a
// close decision, a network drop or shutdown.
func (s *session) finish() {
	if s.stream == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.srv.cfg.CloseTimeout)
	defer cancel()
	for t, path := range s.tracks {
		if err := path.close(ctx); err != nil {
			s.log.Error("track did not finish", "track", t, "err", err)
		}
	}
	reason := s.ended
	if reason == "" {
		reason = "stop"
	}
	s.stream.End(reason)
	s.log.Info("stream ended", "reason", reason)
}
