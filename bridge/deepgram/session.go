package deepgram

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"log/slog"
	"strings"
	"time"

	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/timeline"
	"github.com/callscribe/callscribe/bridge/trackfeed"
	"github.com/callscribe/callscribe/bridge/wsconn"
	"github.com/callscribe/callscribe/codec/container"
)

// session is one live stream: a call with a track per channel (one track
// for mixed channels). It is the stream's wsconn.Handler.
type session struct {
	srv     *Server
	p       Params
	id      string // the request_id
	ws      *wsconn.Session
	log     *slog.Logger
	stream  bridge.Stream
	out     *outbox
	guard   *timeline.RateGuard
	started time.Time

	format  *wavFormat            // the audio's format; nil until a header gave it
	head    []byte                // a container's first bytes, or a WAV header, being received
	sniffed container.Format      // the container those bytes began
	opus    *container.OpusAudio  // an Ogg or WebM stream's Opus decoding
	rawOpus container.OpusDecoder // raw Opus packets' decoder (encoding=opus)
	tracks  []*trackfeed.Feed     // one per channel, or one for mixed channels
	carry   []byte                // bytes of an incomplete frame, kept for the next message
	decoded []float32             // one message's samples, interleaved
	channel []float32             // one track's samples of it
	frames  int64                 // sample frames received per channel
	sum     hash.Hash             // sha256 of the audio bytes
}

func newSession(srv *Server, p Params) *session {
	s := &session{srv: srv, p: p, id: newRequestID(), log: srv.cfg.Logger,
		guard: timeline.NewRateGuard(srv.cfg.RateGuard), sum: sha256.New()}
	if p.Encoding != "" && !p.Encoding.compressed() {
		s.format = &wavFormat{enc: p.Encoding, rate: p.SampleRate, channels: p.Channels}
	}
	return s
}

// trackNames are the call's tracks: a channel each with multichannel,
// else one.
func (s *session) trackNames() []string {
	n := 1
	if s.p.Multichannel {
		n = s.p.Channels
	}
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("ch%d", i)
	}
	return names
}

// Open starts the call and follows its events; the tracks open once the
// audio's format is known (at once for raw audio).
func (s *session) Open(ctx context.Context, ws *wsconn.Session) error {
	s.ws, s.started = ws, s.srv.cfg.Clock.Now()
	names := s.trackNames()
	params := map[string]string{"request_id": s.id, "model": s.p.Model}
	if len(s.p.Tags) > 0 {
		params["tag"] = strings.Join(s.p.Tags, ",")
	}
	stream, err := s.srv.calls.Start(ctx, bridge.StreamStart{Key: s.id, StreamID: s.id, Source: "deepgram", Tracks: names, CustomParameters: params})
	if err != nil {
		return &wsconn.CloseError{Code: websocket.CloseTryAgainLater, Reason: wsconn.ReasonOverloaded, Err: err}
	}
	s.stream = stream
	s.log = ws.Logger().With("call_id", stream.CallID(), "stream_id", s.id)
	ws.SetLogger(s.log)
	sub, err := stream.Subscribe(s.p.Interim)
	if err != nil {
		return &wsconn.CloseError{Code: websocket.CloseInternalServerErr, Reason: wsconn.ReasonInternalError, Err: err}
	}
	m := s.srv.cfg.Model
	meta := ResultsMetadata{RequestID: s.id, ModelInfo: m.info(s.p.Model), ModelUUID: m.uuid()}
	s.out = newOutbox(sub, newTranslator(s.p, meta, len(names)), s.log)
	ws.Follow(wsconn.Feed{Source: s.out, Encode: encodeWire})
	s.log.Info("deepgram stream started", "encoding", s.p.Encoding, "sample_rate", s.p.SampleRate, "channels", s.p.Channels,
		"multichannel", s.p.Multichannel, "model", s.p.Model)
	if s.format != nil {
		return s.openTracks(ctx)
	}
	return nil
}

// openTracks opens the call's tracks at the audio's rate.
func (s *session) openTracks(ctx context.Context) error {
	for _, name := range s.trackNames() {
		sink, err := s.srv.tx.OpenTrack(ctx, bridge.TrackInfo{CallID: s.stream.CallID(), StreamID: s.id, Track: name,
			Offset: s.stream.Offset(), Language: s.p.Language, Partials: s.p.Interim,
			EndSilence: s.p.Endpointing, Prompt: s.p.Prompt}, s.stream.Emit)
		if err != nil {
			return &wsconn.CloseError{Code: websocket.CloseTryAgainLater, Reason: wsconn.ReasonOverloaded, Err: fmt.Errorf("track %s: %w", name, err)}
		}
		feed, err := trackfeed.New(sink, s.format.rate)
		if err != nil {
			if cerr := sink.Close(ctx); cerr != nil {
				s.log.Warn("closing a track never fed", "track", name, "err", cerr)
			}
			return badData(err)
		}
		s.tracks = append(s.tracks, feed)
	}
	return nil
}

// badData is Deepgram's close for audio it cannot decode.
func badData(err error) *wsconn.CloseError {
	return &wsconn.CloseError{Code: websocket.ClosePolicyViolation, Reason: wsconn.ClipReason(reasonBadData + err.Error()), Err: err}
}

// Finish ends every track (the utterance in progress becomes a final, not
// speech_final), waits for the last finals, sends Metadata after a
// CloseStream, and ends the stream in the hub.
func (s *session) Finish(end wsconn.Ending) {
	if s.stream == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.srv.cfg.CloseTimeout)
	defer cancel()
	for i, f := range s.tracks {
		err := f.FinalizeReport(func(id string) {
			s.out.do(func(tr *translator, _ float64) []any { tr.closing(i, id); return nil })
		})
		if err = errorsJoin(err, f.Close(ctx)); err != nil {
			s.log.Error("channel did not finish", "track", fmt.Sprintf("ch%d", i), "err", err)
		}
	}
	seconds := s.seconds()
	if end.Kind == wsconn.EndDone {
		s.out.do(func(tr *translator, _ float64) []any {
			return []any{tr.metadata(hex.EncodeToString(s.sum.Sum(nil)), s.started, seconds, s.p.Channels)}
		})
	}
	s.closeDecoders()
	why := endReason(end)
	s.stream.End(why)
	s.log.Info("deepgram stream ended", "reason", why, "seconds", seconds)
}

// closeDecoders frees an Opus decoder's C memory.
func (s *session) closeDecoders() {
	var err error
	if s.opus != nil {
		err = s.opus.Close()
	}
	if s.rawOpus != nil {
		err = errorsJoin(err, s.rawOpus.Close())
	}
	if err != nil {
		s.log.Warn("closing the Opus decoder", "err", err)
	}
}

// seconds is the audio received, in seconds.
func (s *session) seconds() float64 {
	if s.format == nil {
		return 0
	}
	return float64(s.frames) / float64(s.format.rate)
}

// endReason is the stream's end reason for the hub.
func endReason(end wsconn.Ending) string {
	switch end.Kind {
	case wsconn.EndClosed:
		return end.Reason
	case wsconn.EndShutdown:
		return bridge.EndServerShutdown
	case wsconn.EndPeerGone:
		if !websocket.IsCloseError(end.Err, websocket.CloseNormalClosure, websocket.CloseGoingAway) {
			return "disconnected"
		}
	}
	return "closed"
}
