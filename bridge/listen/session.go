package listen

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"

	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/timeline"
	"github.com/callscribe/callscribe/bridge/trackfeed"
	"github.com/callscribe/callscribe/bridge/wsconn"
)

// session is one /v1/raw stream: one call with a track per channel. It
// is the stream's wsconn.Handler.
type session struct {
	srv    *Server
	ws     *wsconn.Session
	p      Params
	log    *slog.Logger
	stream bridge.Stream
	guard  *timeline.RateGuard

	tracks  []*trackfeed.Feed // one per channel
	carry   []byte            // bytes of an incomplete frame, kept for the next message
	decoded []float32         // one message's samples, interleaved
	channel []float32         // one channel's samples of it
	frames  int64             // sample frames received per channel
}

func newSession(srv *Server, p Params) *session {
	return &session{srv: srv, p: p, log: srv.cfg.Logger, guard: timeline.NewRateGuard(srv.cfg.RateGuard)}
}

func newID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return "ls_" + hex.EncodeToString(b[:])
}

// Open starts the call, follows its events and opens a track per channel.
func (s *session) Open(ctx context.Context, ws *wsconn.Session) error {
	s.ws = ws
	id := newID()
	names := make([]string, s.p.Channels)
	for i := range names {
		names[i] = fmt.Sprintf("ch%d", i)
	}
	stream, err := s.srv.calls.Start(ctx, bridge.StreamStart{Key: id, StreamID: id, Source: "listen", Tracks: names})
	if err != nil {
		return &wsconn.CloseError{Code: websocket.CloseTryAgainLater, Reason: wsconn.ReasonOverloaded, Err: err}
	}
	s.stream = stream
	s.log = ws.Logger().With("call_id", stream.CallID(), "stream_id", id)
	ws.SetLogger(s.log)
	sub, err := stream.Subscribe(s.p.Interim)
	if err != nil {
		return &wsconn.CloseError{Code: websocket.CloseInternalServerErr, Reason: wsconn.ReasonInternalError, Err: err}
	}
	ws.Follow(wsconn.Feed{Source: wsconn.Subscription(sub)})
	for _, name := range names {
		sink, err := s.srv.tx.OpenTrack(ctx, bridge.TrackInfo{CallID: stream.CallID(), StreamID: id, Track: name,
			Offset: stream.Offset(), Language: s.p.Language, Partials: s.p.Interim}, stream.Emit)
		if err != nil {
			return &wsconn.CloseError{Code: websocket.CloseTryAgainLater, Reason: wsconn.ReasonOverloaded, Err: fmt.Errorf("track %s: %w", name, err)}
		}
		feed, err := trackfeed.New(sink, s.p.SampleRate)
		if err != nil {
			if cerr := sink.Close(ctx); cerr != nil {
				s.log.Warn("closing a track never fed", "track", name, "err", cerr)
			}
			return &wsconn.CloseError{Code: websocket.CloseUnsupportedData, Reason: err.Error(), Err: err}
		}
		s.tracks = append(s.tracks, feed)
	}
	s.log.Info("listen stream started", "encoding", s.p.Encoding, "sample_rate", s.p.SampleRate, "channels", s.p.Channels)
	return nil
}

// control is a text message from the client.
type control struct {
	Type string `json:"type"`
}

// Message takes audio (binary) and control messages (text).
func (s *session) Message(_ context.Context, binary bool, data []byte) error {
	if binary {
		s.ws.MediaArrived()
		return s.audio(data)
	}
	var c control
	if err := json.Unmarshal(data, &c); err != nil {
		return &wsconn.CloseError{Code: websocket.CloseInvalidFramePayloadData, Reason: "text messages must be JSON control messages", Err: err}
	}
	switch c.Type {
	case "KeepAlive":
		s.ws.MediaArrived()
	case "Finalize":
		for i, f := range s.tracks {
			if err := f.Finalize(); err != nil {
				s.log.Warn("finalize", "track", fmt.Sprintf("ch%d", i), "err", err)
			}
		}
	case "CloseStream":
		return wsconn.ErrDone
	default:
		return &wsconn.CloseError{Code: websocket.CloseInvalidFramePayloadData, Reason: fmt.Sprintf("unknown control message type %q", c.Type)}
	}
	return nil
}

// Finish flushes every channel, waits for the last finals and ends the
// stream in the hub.
func (s *session) Finish(end wsconn.Ending) {
	if s.stream == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.srv.cfg.CloseTimeout)
	defer cancel()
	for i, f := range s.tracks {
		if err := f.Close(ctx); err != nil {
			s.log.Error("channel did not finish", "track", fmt.Sprintf("ch%d", i), "err", err)
		}
	}
	why := endReason(end)
	s.stream.End(why)
	s.log.Info("listen stream ended", "reason", why, "seconds", float64(s.frames)/float64(s.p.SampleRate))
}

// endReason is the stream's end reason for the hub (call.ended's
// end_reason when no stream follows).
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
