package twilio

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"time"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/twilio/wire"
	"github.com/callscribe/callscribe/bridge/wsconn"
)

// start opens the call's stream in the hub, follows its events when the
// stream asked for them and opens a track per announced track.
func (s *session) start(ctx context.Context, st wire.Start) error {
	if s.stream != nil {
		return &wsconn.CloseError{Code: CloseOutOfOrder, Reason: ReasonDuplicateStart, Err: errors.New("second start")}
	}
	if err := st.MediaFormat.Validate(); err != nil {
		return &wsconn.CloseError{Code: CloseUnsupportedFormat, Reason: ReasonUnsupportedFormat, Err: err}
	}
	tracks := st.Tracks
	if len(tracks) == 0 {
		tracks = []wire.Track{wire.TrackInbound}
	}
	names := make([]string, len(tracks))
	for i, t := range tracks {
		names[i] = string(t)
	}
	if err := s.authorize(st.CustomParameters); err != nil {
		return err
	}
	params := maps.Clone(st.CustomParameters)
	delete(params, ParamToken) // a credential is no part of the call's record
	stream, err := s.srv.calls.Start(ctx, bridge.StreamStart{
		Key: st.CallSID, StreamID: st.StreamSID, Source: "twilio", AccountSID: st.AccountSID,
		Tracks: names, CustomParameters: params,
	})
	if err != nil {
		return &wsconn.CloseError{Code: CloseOverloaded, Reason: ReasonOverloaded, Err: err}
	}
	s.stream = stream
	s.log = s.log.With("call_id", stream.CallID(), "stream_id", st.StreamSID, "call_sid", st.CallSID)
	s.ws.SetLogger(s.log)
	partials := !isFalse(params[ParamPartials])
	if isTrue(params[ParamTranscripts]) {
		sub, err := stream.Subscribe(partials)
		if err != nil {
			return &wsconn.CloseError{Code: CloseInternalError, Reason: ReasonInternalError, Err: err}
		}
		s.ws.Follow(wsconn.Feed{Source: wsconn.Subscription(sub)})
	}
	for _, t := range tracks {
		info := bridge.TrackInfo{CallID: stream.CallID(), StreamID: st.StreamSID, Track: string(t),
			Offset: stream.Offset(), Language: params[ParamLanguage], Partials: partials}
		sink, err := s.srv.tx.OpenTrack(ctx, info, stream.Emit)
		if err != nil {
			return &wsconn.CloseError{Code: CloseOverloaded, Reason: ReasonOverloaded, Err: fmt.Errorf("track %s: %w", t, err)}
		}
		path, err := newTrackPath(sink, s.srv.cfg.Jitter)
		if err != nil {
			if cerr := sink.Close(ctx); cerr != nil {
				s.log.Warn("closing a track never fed", "track", t, "err", cerr)
			}
			return &wsconn.CloseError{Code: CloseInternalError, Reason: ReasonInternalError, Err: err}
		}
		s.tracks[t] = path
	}
	s.log.Info("stream started", "tracks", names, "offset", stream.Offset())
	return nil
}

// authorize asks Config.Authorize whether the stream may go on.
func (s *session) authorize(params map[string]string) error {
	if s.srv.cfg.Authorize == nil {
		return nil
	}
	release, err := s.srv.cfg.Authorize(s.upgrade, params)
	if err != nil {
		return &wsconn.CloseError{Code: CloseUnauthorized, Reason: ReasonUnauthorized, Err: err}
	}
	s.release = release
	return nil
}

// media places one chunk of audio on its track's timeline, after the rate
// guard checked that the stream is live.
func (s *session) media(m wire.Media) error {
	if s.stream == nil {
		return &wsconn.CloseError{Code: CloseOutOfOrder, Reason: ReasonMediaBeforeStart, Err: errors.New("media before start")}
	}
	s.ws.MediaArrived()
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
	if err := s.guard.Observe(s.srv.cfg.Clock.Now(), position); err != nil {
		return &wsconn.CloseError{Code: CloseTooFast, Reason: ReasonTooFast, Err: err}
	}
	if err := path.push(m.TimestampMS, s.payload, &s.srv.Stats); err != nil {
		return &wsconn.CloseError{Code: CloseOverloaded, Reason: ReasonOverloaded, Err: err}
	}
	s.stream.AdvanceMedia((position + time.Duration(len(s.payload))*time.Second/wire.MuLawSampleRate).Seconds())
	return nil
}
